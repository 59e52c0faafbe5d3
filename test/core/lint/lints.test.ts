// The content lints on queries: which forms each one recognises in the syntax tree, and the cases it
// must leave alone (the false positives found on real rules are among them). Offsets are checked by
// the text at the finding.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeKql } from '../../../scripts/core/kql/analyze.ts';
import { createKqlEnvironment, type KqlEnvironment } from '../../../scripts/core/kql/symbols.ts';
import { runLints } from '../../../scripts/core/lint/registry.ts';
import { LintTree } from '../../../scripts/core/lint/tree.ts';
import type { LintContext } from '../../../scripts/core/lint/types.ts';
import { loadTableSchemas } from '../../../scripts/io/tables.ts';

let env: KqlEnvironment;
beforeAll(() => {
  env = createKqlEnvironment({
    tables: loadTableSchemas(fileURLToPath(new URL('../../../schemas/tables/', import.meta.url))),
    watchlists: [
      {
        alias: 'ipsum',
        columns: [
          { name: 'IPAddress', type: 'string' },
          { name: 'Score', type: 'int' },
        ],
      },
    ],
  });
});

type Schedule = Omit<LintContext, 'tree'>;
const HOURLY: Schedule = { kind: 'Scheduled', frequency: 60, period: 60 };

/** [code, the query text where the finding points (20 characters) or the rule key]. */
function lint(query: string, schedule: Schedule = HOURLY): [string, string][] {
  const analysis = analyzeKql(env, query);
  expect(
    analysis.diagnostics.filter((d) => d.severity === 'error'),
    'the test query must analyze',
  ).toEqual([]);
  return runLints({ tree: new LintTree(analysis.syntax, query), ...schedule }).map((f) => [
    f.code,
    'offset' in f.at ? query.slice(f.at.offset, f.at.offset + 20) : f.at.key,
  ]);
}

const only = (code: string) => (findings: [string, string][]) => findings.filter(([c]) => c === code);

describe('lint.ingestion-delay', () => {
  const delay = only('lint.ingestion-delay');
  it.each([
    ['ago() of a literal', 'DeviceNetworkEvents | where TimeGenerated > ago(1h)', 'TimeGenerated > ago('],
    [
      'ago() of let arithmetic',
      'let lookback = 30m;\nDeviceNetworkEvents | where TimeGenerated >= ago(lookback * 2)',
      'TimeGenerated >= ago',
    ],
    ['now() minus a span', 'DeviceNetworkEvents | where TimeGenerated >= now() - 1h', 'TimeGenerated >= now'],
    ['now() with a negative offset', 'DeviceNetworkEvents | where TimeGenerated > now(-45m)', 'TimeGenerated > now('],
    ['between', 'DeviceNetworkEvents | where TimeGenerated between (ago(1h) .. now())', 'TimeGenerated betwee'],
    ['bound on the left', 'DeviceNetworkEvents | where ago(1h) < TimeGenerated', 'ago(1h) < TimeGenera'],
    ['one conjunct of several', "DeviceNetworkEvents | where ActionType == 'x' and TimeGenerated > ago(1h)", 'TimeGenerated > ago('],
    [
      'a filter inside a let',
      'let recent = DeviceNetworkEvents | where TimeGenerated > ago(1h);\nrecent | project DeviceName',
      'TimeGenerated > ago(',
    ],
    [
      'the right side of an inner join (its rows decide the result)',
      'DeviceInfo | join kind=inner (DeviceNetworkEvents | where TimeGenerated > ago(1h)) on DeviceId',
      'TimeGenerated > ago(',
    ],
  ])('fires: %s', (_, query, at) => {
    expect(delay(lint(query))).toEqual([['lint.ingestion-delay', at]]);
  });

  it.each([
    ['a window wider than the frequency', 'DeviceNetworkEvents | where TimeGenerated > ago(61m)'],
    ['ingestion_time() after it', 'DeviceNetworkEvents | where TimeGenerated > ago(1h) | where ingestion_time() > ago(1h)'],
    [
      'a column set to ingestion_time() and filtered',
      'DeviceNetworkEvents | where TimeGenerated > ago(1h) | extend Arrived = ingestion_time() | where Arrived > ago(1h)',
    ],
    [
      'ingestion_time() before it, through a let',
      'let arrived = DeviceNetworkEvents | where ingestion_time() > ago(1h);\narrived | where TimeGenerated > ago(1h)',
    ],
    [
      'an enrichment side (leftouter)',
      'DeviceInfo | join kind=leftouter (DeviceNetworkEvents | where TimeGenerated > ago(1h)) on DeviceId',
    ],
    [
      'a set compared with in',
      'let recent = DeviceNetworkEvents | where TimeGenerated > ago(1h) | project RemoteIP;\nDeviceInfo | where PublicIP in (recent)',
    ],
    ['a look-back that is not a constant', 'DeviceNetworkEvents | where TimeGenerated > startofday(ago(1h))'],
    ['another column', 'DeviceNetworkEvents | where InitiatingProcessCreationTime > ago(1h)'],
  ])('silent: %s', (_, query) => {
    expect(delay(lint(query))).toEqual([]);
  });

  it('applies to Scheduled rules only', () => {
    expect(lint('DeviceNetworkEvents | where TimeGenerated > ago(1h)', { kind: 'NRT', frequency: undefined, period: undefined })).toEqual(
      [],
    );
  });
});

describe('lint.window-beyond-period and lint.period-unused', () => {
  const DAILY: Schedule = { kind: 'Scheduled', frequency: 60, period: 1440 };
  it('a filter or a make-series range beyond the period', () => {
    expect(lint('DeviceNetworkEvents | where TimeGenerated > ago(2d) | project DeviceName', DAILY)).toEqual([
      ['lint.window-beyond-period', 'TimeGenerated > ago('],
    ]);
    expect(lint('DeviceNetworkEvents | make-series count() on TimeGenerated from ago(7d) to now() step 1h', DAILY)).toEqual([
      ['lint.window-beyond-period', 'from ago(7d) to now('],
    ]);
  });

  it.each([
    [
      'every table filtered far below the period',
      'DeviceNetworkEvents | where TimeGenerated > ago(2h)',
      [['lint.period-unused', 'queryPeriod']],
    ],
    [
      'a union filtered after it',
      'union DeviceNetworkEvents, DeviceInfo | where TimeGenerated > ago(2h)',
      [['lint.period-unused', 'queryPeriod']],
    ],
    [
      'a table read without a filter uses the period',
      'DeviceNetworkEvents | where TimeGenerated > ago(2h) | join kind=inner DeviceInfo on DeviceId',
      [],
    ],
    [
      'a filter after a join bounds the left side only',
      'DeviceNetworkEvents | join kind=inner DeviceInfo on DeviceId | where TimeGenerated > ago(2h)',
      [],
    ],
    [
      'a filter after summarize does not bound what is read',
      'DeviceNetworkEvents | summarize arg_max(TimeGenerated, *) by DeviceId | where TimeGenerated > ago(2h)',
      [],
    ],
    [
      'at least twice as long: flagged at exactly twice',
      'DeviceNetworkEvents | where TimeGenerated > ago(12h)',
      [['lint.period-unused', 'queryPeriod']],
    ],
    ['less than twice as long', 'DeviceNetworkEvents | where TimeGenerated > ago(13h)', []],
    [
      'a watchlist is not bounded by the period',
      "DeviceNetworkEvents | where TimeGenerated > ago(2h) | where RemoteIP in ((_GetWatchlist('ipsum') | project SearchKey))",
      [['lint.period-unused', 'queryPeriod']],
    ],
  ])('period-unused: %s', (_, query, expected) => {
    expect(only('lint.period-unused')(lint(query, DAILY))).toEqual(expected);
  });
});

describe('lint.network-dependency', () => {
  it.each([
    ['externaldata', 'externaldata(IP: string) [@"https://feed.invalid/list.txt"] with (format="txt")', 'externaldata(IP: str'],
    ['http_request', 'evaluate http_request("https://api.invalid/ips")', 'evaluate http_reques'],
  ])('%s', (_, query, at) => {
    expect(lint(query, { kind: 'NRT', frequency: undefined, period: undefined })).toEqual([['lint.network-dependency', at]]);
  });
});

describe('lint.join-unique', () => {
  const unique = only('lint.join-unique');
  const EVENTS = "DeviceNetworkEvents | where ActionType == 'InboundConnectionAccepted'";
  it.each([
    [
      'a watchlist joined on its key',
      `let L = _GetWatchlist('ipsum') | project IP = tostring(SearchKey), Score;\n${EVENTS} | join kind=inner L on $left.RemoteIP == $right.IP`,
      'join kind=inner L on',
    ],
    [
      'a lookup against a watchlist',
      `${EVENTS} | lookup (_GetWatchlist('ipsum') | project IP = tostring(SearchKey)) on $left.RemoteIP == $right.IP`,
      'lookup (_GetWatchlis',
    ],
    [
      'an inventory table unique on another column',
      `${EVENTS} | join kind=leftouter (DeviceInfo | summarize arg_max(TimeGenerated, *) by DeviceName) on DeviceId`,
      'join kind=leftouter ',
    ],
    [
      'a project that drops the unique key',
      `${EVENTS} | join kind=inner (DeviceInfo | summarize arg_max(TimeGenerated, *) by DeviceId | project Name = DeviceName, PublicIP) on $left.DeviceName == $right.Name`,
      'join kind=inner (Dev',
    ],
    [
      'the default kind',
      `${EVENTS} | join (_GetWatchlist('ipsum') | project RemoteIP = tostring(SearchKey)) on RemoteIP`,
      'join (_GetWatchlist(',
    ],
  ])('fires: %s', (_, query, at) => {
    expect(unique(lint(query))).toEqual([['lint.join-unique', at]]);
  });

  it.each([
    [
      'summarize by the key',
      `${EVENTS} | join kind=inner (_GetWatchlist('ipsum') | summarize Score = max(toint(Score)) by IP = tostring(SearchKey)) on $left.RemoteIP == $right.IP`,
    ],
    [
      'distinct key',
      `${EVENTS} | join kind=inner (_GetWatchlist('ipsum') | distinct IP = tostring(SearchKey)) on $left.RemoteIP == $right.IP`,
    ],
    [
      'arg_max by the key, renamed after',
      `${EVENTS} | join kind=inner (DeviceInfo | summarize arg_max(TimeGenerated, *) by DeviceId | project-rename Id = DeviceId) on $left.DeviceId == $right.Id`,
    ],
    [
      'a filter after the join adds a key (the detection: device and port)',
      `${EVENTS} | join kind=inner (DeviceInfo | extend Port = toint(AdditionalFields.Port) | summarize arg_max(TimeGenerated, *) by DeviceId, Port) on DeviceId | where LocalPort == Port`,
    ],
    [
      'leftsemi keeps no column of the other side',
      `${EVENTS} | join kind=leftsemi (_GetWatchlist('ipsum') | project RemoteIP = tostring(SearchKey)) on RemoteIP`,
    ],
    [
      'the joined rows are summarized',
      `${EVENTS} | join kind=inner (_GetWatchlist('ipsum') | project RemoteIP = tostring(SearchKey)) on RemoteIP | summarize count() by DeviceName`,
    ],
    [
      'the joined rows only feed an in',
      `let hits = ${EVENTS} | join kind=inner (_GetWatchlist('ipsum') | project RemoteIP = tostring(SearchKey)) on RemoteIP | project RemoteIP;\nDeviceInfo | where PublicIP in (hits)`,
    ],
    ['an event table on the other side (a correlation, not a reference)', `DeviceInfo | join kind=inner (${EVENTS}) on DeviceId`],
  ])('silent: %s', (_, query) => {
    expect(unique(lint(query))).toEqual([]);
  });
});

describe('lint.join-kind-default', () => {
  const kind = only('lint.join-kind-default');
  it('fires on a join without kind= whose left side repeats the key', () => {
    expect(kind(lint('DeviceNetworkEvents | join (DeviceInfo | summarize arg_max(TimeGenerated, *) by DeviceId) on DeviceId'))).toEqual([
      ['lint.join-kind-default', 'join (DeviceInfo | s'],
    ]);
  });

  it.each([
    ['an explicit kind', 'DeviceNetworkEvents | join kind=innerunique (DeviceInfo) on DeviceId'],
    ['a left side summarized by the key', 'DeviceNetworkEvents | summarize count() by DeviceId | join (DeviceInfo) on DeviceId'],
    [
      'a left side that is one row per series bin (make-series, then mv-expand of its axis)',
      'DeviceNetworkEvents | make-series Total = count() on TimeGenerated from ago(1d) to now() step 1h by DeviceId | mv-expand Total to typeof(long), TimeGenerated to typeof(datetime) | join (DeviceNetworkEvents | summarize count() by DeviceId, TimeGenerated = bin(TimeGenerated, 1h)) on DeviceId, TimeGenerated',
    ],
    ['a one-row datatable', 'datatable(DeviceId: string)["a"] | join (DeviceInfo) on DeviceId'],
  ])('silent: %s', (_, query) => {
    expect(kind(lint(query))).toEqual([]);
  });
});
