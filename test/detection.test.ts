// Fidelity of rules/ipsum-inbound-internet-facing.yaml to the published hunting query it turns into a
// rule: every step, in order, read from Kusto.Language's syntax tree of the rule's query; the result
// columns (names, order, types); and the two scheduled-rule changes (late events, one row per address).
import { describe, expect, it } from 'vitest';
import { analyzeKql } from '../scripts/core/kql/analyze.ts';
import { upstreamOperators } from '../scripts/core/lint/flow.ts';
import { LintTree, is, type LNode } from '../scripts/core/lint/tree.ts';
import { uniqueKeys } from '../scripts/core/lint/uniqueness.ts';
import type { RuleYaml } from '../scripts/core/model/yaml-types.ts';
import { validateContent } from '../scripts/core/validate/validate.ts';
import { loadContent } from '../scripts/io/content.ts';
import { repoRoot } from './support/content.ts';

const content = loadContent({ root: repoRoot });
const validation = validateContent(content);
const rule = validation.parsed.rules.find((r) => r.doc.file === 'rules/ipsum-inbound-internet-facing.yaml')!;
const yaml = rule.doc.value as RuleYaml;

/** The operators of a pipe chain, source first, each as its text with runs of blanks collapsed. */
function chain(tree: LintTree, expression: LNode): string[] {
  return upstreamOperators(tree, expression)
    .reverse()
    .map((op) =>
      tree
        .text(op)
        .replace(/\/\/[^\n]*/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
    );
}

function letValue(tree: LintTree, name: string): LNode {
  const statement = tree.nodes().find((n) => is(n, 'LetStatement') && n.Name?.SimpleName === name);
  if (!statement?.Expression) throw new Error(`no let ${name}`);
  return statement.Expression;
}

describe('the detection keeps every step of the published hunting query', () => {
  const result = analyzeKql(validation.parsed.kql!, yaml.query);
  const tree = new LintTree(result.syntax, yaml.query);
  const main = tree.nodes().find((n) => is(n, 'ExpressionStatement'))!.Expression!;

  it('validates clean, lints included', () => {
    expect(validation.diagnostics).toEqual([]);
  });

  it('DeviceInfo → internet-facing fields → latest per device and port → IsInternetFacing → four columns', () => {
    const steps = chain(tree, letValue(tree, 'InternetFacingPorts'));
    expect(steps[0]).toBe('extend Facing = todynamic(AdditionalFields)');
    expect(steps[1]).toMatch(
      /^extend InternetFacingReason = tostring\(Facing\.InternetFacingReason\), InternetFacingLocalIp = .*InternetFacingLocalPort = toint\(Facing\.InternetFacingLocalPort\)/,
    );
    expect(steps.slice(2)).toEqual([
      'summarize arg_max(TimeGenerated, *) by DeviceId, InternetFacingLocalPort',
      'where IsInternetFacing',
      'project DeviceId, InternetFacingLocalIp, InternetFacingLocalPort, InternetFacingReason',
    ]);
  });

  it('DeviceNetworkEvents → accepted inbound → join on DeviceId → exposed port → IPsum → rename → column order', () => {
    expect(chain(tree, main)).toEqual([
      'where TimeGenerated > ago(ConnectionLookback + IngestionDelayAllowance)',
      'where ingestion_time() > ago(ConnectionLookback)',
      "where ActionType == 'InboundConnectionAccepted'",
      'where LocalPort !in (ExcludedLocalPorts)',
      'join kind=inner InternetFacingPorts on $left.DeviceId == $right.DeviceId',
      'where LocalPort == InternetFacingLocalPort',
      'join kind=inner IpsumIPs on $left.RemoteIP == $right.IpsumIP',
      'project-rename ThreatIntelligenceIP = RemoteIP',
      'project-reorder TimeGenerated, DeviceName, ThreatIntelligenceIP, LocalPort, InitiatingProcessFileName',
    ]);
  });

  it('the IPsum side reads the watchlist, at the level parameter, one row per address with its highest score', () => {
    const ipsum = letValue(tree, 'IpsumIPs');
    expect(tree.text(ipsum)).toMatch(/^_GetWatchlist\('ipsum'\)/);
    expect(chain(tree, ipsum)).toEqual([
      'where toint(Score) >= MinIpsumLevel',
      'summarize IpsumScore = max(toint(Score)) by IpsumIP = tostring(SearchKey)',
    ]);
    expect(uniqueKeys(tree, ipsum).map((k) => [...k])).toEqual([['IpsumIP']]);
  });

  it("late events: one run's window is the frequency, widened by a timespan parameter; the look-back is within the period", () => {
    expect(yaml.queryFrequency).toBe('1h');
    expect(rule.doc.value).toMatchObject({ parameters: { IngestionDelayAllowance: { type: 'timespan' } } });
    const lets = Object.fromEntries(result.lets.map((l) => [l.name, l.valueText]));
    expect([lets.ConnectionLookback, lets.IngestionDelayAllowance]).toEqual(['1h', '30m']);
    expect(yaml.queryPeriod).toBe('1d');
  });

  it('result columns: the reordered five, the rest of DeviceNetworkEvents, then the joined columns, with their types', () => {
    const first = ['TimeGenerated', 'DeviceName', 'ThreatIntelligenceIP', 'LocalPort', 'InitiatingProcessFileName'];
    const events = content.tables
      .find((t) => t.name === 'DeviceNetworkEvents')!
      .columns.map((c) => c.name)
      .filter((c) => !first.includes(c) && c !== 'RemoteIP');
    const joined = ['DeviceId1', 'InternetFacingLocalIp', 'InternetFacingLocalPort', 'InternetFacingReason', 'IpsumIP', 'IpsumScore'];
    expect(result.columns?.map((c) => c.name)).toEqual([...first, ...events, ...joined]);
    const types = Object.fromEntries(result.columns!.map((c) => [c.name, c.type]));
    expect(Object.fromEntries([...first, ...joined].map((c) => [c, types[c]]))).toEqual({
      TimeGenerated: 'datetime',
      DeviceName: 'string',
      ThreatIntelligenceIP: 'string',
      LocalPort: 'int',
      InitiatingProcessFileName: 'string',
      DeviceId1: 'string',
      InternetFacingLocalIp: 'string',
      InternetFacingLocalPort: 'int',
      InternetFacingReason: 'string',
      IpsumIP: 'string',
      IpsumScore: 'int',
    });
  });
});
