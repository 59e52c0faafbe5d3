// Queries over the committed catalog: standard tables, ASIM and solution functions, cross-resource
// references, and exactly one entry per unknown name.
import { beforeAll, describe, expect, it } from 'vitest';
import type { SchemaProvider } from '../../../scripts/core/catalog/provider.ts';
import { analyzeKql } from '../../../scripts/core/kql/analyze.ts';
import { createKqlEnvironment, type KqlEnvironment } from '../../../scripts/core/kql/symbols.ts';
import { loadCatalog } from '../../../scripts/io/catalog.ts';
import { repoRoot, repoTables } from '../../support/content.ts';

let env: KqlEnvironment;
let asked: string[];
beforeAll(() => {
  const catalog = loadCatalog(repoRoot);
  // Count what the environment asks: only names the query mentions.
  const spy: SchemaProvider = {
    ...catalog,
    table: (name) => (asked.push(name), catalog.table(name)),
    function: (name) => catalog.function(name),
  };
  env = createKqlEnvironment({ tables: repoTables(), watchlists: [], providers: [spy] });
});

const clean = (query: string) => {
  const analysis = analyzeKql(env, query);
  return {
    errors: analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.kustoCode} ${d.message}`),
    unknown: analysis.unknownTables,
    analysis,
  };
};

describe('KQL over the catalog', () => {
  it('analyzes standard tables clean and builds only the tables the query names', () => {
    asked = [];
    const query =
      'SecurityEvent\n| where EventID == 4688\n| join kind=inner (SigninLogs | project UserPrincipalName, IPAddress) on $left.Account == $right.UserPrincipalName\n| project TimeGenerated, Account, IPAddress';
    const { errors, unknown, analysis } = clean(query);
    expect([errors, unknown]).toEqual([[], []]);
    expect(analysis.columns?.map((c) => c.name)).toEqual(['TimeGenerated', 'Account', 'IPAddress']);
    expect(analysis.tables).toEqual(['SecurityEvent', 'SigninLogs']);
    // Only words of the query are asked about (its names from the tree, and the text's guess at them,
    // operator words included), never the rest of the catalog.
    const words = new Set(query.match(/\w+/g));
    expect(asked.filter((name) => !words.has(name))).toEqual([]);
    expect(asked).toEqual(expect.arrayContaining(['SecurityEvent', 'SigninLogs', 'EventID', 'UserPrincipalName']));
  });

  it('repository tables win over the catalog (schemas/tables/DeviceInfo.json)', () => {
    expect(clean('DeviceInfo | project IsInternetFacing, AdditionalFields').errors).toEqual([]);
  });

  it('reads the standard columns on every table and resource columns of AzureDiagnostics (overlay)', () => {
    expect(clean('AuditLogs | project TenantId, _ItemId, _TimeReceived').errors).toEqual([]);
    const { errors, analysis } = clean('AzureDiagnostics | where ResourceType == "AZUREFIREWALLS" | project TimeGenerated, msg_s');
    expect(errors).toEqual([]);
    expect(analysis.columnsOpen).toBe(true);
    expect(analysis.columns?.map((c) => c.name)).toEqual(['TimeGenerated', 'msg_s']);
  });

  it('reads Timestamp on Defender XDR tables (overlay)', () => {
    expect(clean('DeviceProcessEvents | where Timestamp > ago(1h) | project Timestamp, DeviceName').errors).toEqual([]);
  });

  it('types ASIM parsers from their schema, with or without arguments, in every spelling', () => {
    for (const query of [
      'imAuthentication | where EventResult == "Failure" | project TargetUsername, SrcIpAddr',
      '_Im_NetworkSession(starttime=ago(1h), dstipaddr_has_any_prefix=dynamic(["10."])) | project DstIpAddr, EventCount',
      '_ASim_Dns | project DnsQuery, TimeGenerated',
      'ASimProcessEvent | project TargetProcessName',
    ]) {
      expect(clean(query), query).toMatchObject({ errors: [], unknown: [] });
    }
    const wrong = clean('imAuthentication | project NoSuchField');
    expect(wrong.errors).toEqual(["KS142 The name 'NoSuchField' does not refer to any known column, table, variable or function."]);
  });

  it('accepts solution parsers with unknown columns (open result, reported as untyped)', () => {
    const { errors, unknown, analysis } = clean('OktaSSO | where EventOutcome == "FAILURE" | project SrcIpAddr');
    expect([errors, unknown]).toEqual([[], []]);
    expect(analysis.columnsOpen).toBe(true);
    expect(analysis.untypedFunctions).toEqual(['OktaSSO']);
  });

  it('understands workspace("…") and app("…") cross-resource references', () => {
    expect(clean('union SecurityEvent, workspace("other-ws").SecurityEvent | project Account').errors).toEqual([]);
    expect(clean('app("my-app").requests | project name').errors).toEqual([]);
    const missing = clean('workspace("other").NoSuchTable | project X');
    expect(missing.errors).toEqual([]);
    expect(missing.unknown.map((u) => u.name)).toEqual(['NoSuchTable']);
    // The other workspace's table has this catalog's columns, and so has a resource's.
    const typed = clean('workspace("other-ws").SecurityEvent | project Account, EventID');
    expect([typed.errors, typed.analysis.columns]).toEqual([
      [],
      [
        { name: 'Account', type: 'string' },
        { name: 'EventID', type: 'int' },
      ],
    ]);
    expect(clean('resource("/subscriptions/x").SecurityEvent | project NoSuchColumn').errors).toEqual([
      expect.stringMatching(/^KS142 .*NoSuchColumn/),
    ]);
  });

  it('expands wildcard unions over the catalog (union Device*)', () => {
    const { errors, analysis } = clean('union withsource=Src DeviceProcess* | project Src, InitiatingProcessFileName');
    expect(errors).toEqual([]);
    expect(analysis.tables).toContain('DeviceProcessEvents');
  });

  it('reports an unknown function once, without follow-on errors, in table or value position', () => {
    const table = clean('MyParser(starttime=ago(1d), "x")\n| where Foo == 1\n| project Bar');
    expect(table.errors).toEqual([]);
    expect(table.unknown).toEqual([{ name: 'MyParser', start: 0, length: 8, function: true }]);
    const value = clean('SecurityEvent | where isgood(Account) | extend y = tolower(isgood(Computer))');
    expect(value.errors).toEqual([]);
    expect(value.unknown.map((u) => [u.name, u.function])).toEqual([
      ['isgood', true],
      ['isgood', true],
    ]);
  });

  it('gives the same answer whatever ran before (globals depend only on the query)', () => {
    const query = 'Syslog | union isfuzzy=true SecurityEvent | project Computer';
    const alone = createKqlEnvironment({ tables: repoTables(), watchlists: [], providers: [loadCatalog(repoRoot)] });
    // Everything but the syntax tree (a new object per analysis).
    const answer = (e: KqlEnvironment) => {
      const { syntax: _, ...rest } = analyzeKql(e, query);
      return rest;
    };
    const first = answer(alone);
    analyzeKql(alone, 'union Device* | take 1');
    expect(answer(alone)).toEqual(first);
    expect(answer(env)).toEqual(first);
  });
});

describe('ASIM filtering parameters', () => {
  it('list filters (…_has_any_prefix) take a one-column table, as shipped rules pass them', () => {
    const query =
      'let IPList = datatable(IPAddress:string)["1.2.3.4"];\nimDns(response_has_any_prefix=IPList)\n| project TimeGenerated, SrcIpAddr';
    expect(clean(query).errors).toEqual([]);
  });
});
