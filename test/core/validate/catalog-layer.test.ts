// The KQL layer with the catalog: standard tables pass, an unknown name is one diagnostic at its exact
// place, and a result whose columns cannot be known says so once (union isfuzzy=true, solution parsers).
import { describe, expect, it } from 'vitest';
import { fixture, positionOf, replaceOnce, validateFiles } from '../../support/content.ts';

// Without workspaces.yaml: the fixture's overrides name parameters these rules do not have.
const fixtureWith = ({ rule }: { rule: string }) => ({ rules: { rule }, watchlists: { ipsum: fixture.watchlist } });

const withQuery = (query: string, mappings = 'Account'): string => {
  const start = fixture.rule.indexOf('query: |');
  const end = fixture.rule.indexOf('incidentConfiguration:');
  const body = `query: |\n${query
    .split('\n')
    .map((l) => `  ${l}`)
    .join(
      '\n',
    )}\nentityMappings:\n  - entityType: Account\n    fieldMappings:\n      - identifier: Name\n        columnName: ${mappings}\n`;
  return replaceOnce(
    fixture.rule.slice(0, start) + body + fixture.rule.slice(end),
    '    groupByEntities:\n      - IP\n',
    '    groupByEntities:\n      - Account\n',
  ).replace(/parameters:\n[\s\S]*?(?=query: \|)/, '');
};
const codes = (rule: string, withCatalog = true) =>
  validateFiles(fixtureWith({ rule }), withCatalog).diagnostics.map((d) => ({
    code: d.code,
    severity: d.severity,
    line: d.line,
    column: d.column,
  }));

describe('KQL layer over the catalog', () => {
  it('a standard table without a file in schemas/tables/ analyzes clean with the catalog', () => {
    const rule = withQuery('SecurityEvent\n| where EventID == 4625\n| summarize Failures = count() by Account');
    expect(codes(rule)).toEqual([]);
    const position = positionOf(rule, 'SecurityEvent');
    expect(codes(rule, false)).toEqual([{ code: 'kql.unknown-table', severity: 'error', ...position }]);
  });

  it('a misspelt table is one kql.unknown-table with a suggestion, no follow-on errors', () => {
    const rule = withQuery('SecurityEvents\n| where EventID == 4625\n| summarize Failures = count() by Account');
    const result = validateFiles(fixtureWith({ rule }), true).diagnostics;
    expect(result.map((d) => d.code)).toEqual(['kql.unknown-table']);
    expect(result[0]).toMatchObject({
      message: "'SecurityEvents' is not a table or function of the catalog, schemas/tables/ or schemas/functions/",
      hint: "Did you mean 'SecurityEvent'?",
    });
  });

  it('an unknown function is one kql.unknown-function at its name', () => {
    const rule = withQuery('MyTeamParser(starttime=ago(1h))\n| where Foo == 1\n| project Account = Bar');
    expect(codes(rule)).toEqual([{ code: 'kql.unknown-function', severity: 'error', ...positionOf(rule, 'MyTeamParser') }]);
  });

  it('union isfuzzy=true over an unknown table: one warning that the result columns are unchecked', () => {
    const rule = withQuery('union isfuzzy=true SecurityEvent, (MyMissing_CL)\n| project Account');
    const result = validateFiles(fixtureWith({ rule }), true).diagnostics;
    expect(result.map((d) => ({ code: d.code, severity: d.severity, line: d.line, column: d.column }))).toEqual([
      { code: 'kql.unchecked-columns', severity: 'warning', ...positionOf(rule, 'MyMissing_CL') },
    ]);
    expect(result[0]).toMatchObject({
      message:
        "column(s) Account named by the rule cannot be checked: the query's result columns depend on table 'MyMissing_CL' (unknown; union isfuzzy=true skips it)",
      hint: 'Declare the missing table in schemas/tables/ or the function with its columns in schemas/functions/ (docs/tables-and-functions.md).',
    });
  });

  it('a solution parser without declared columns: a column the query is not known to output gets the same single warning', () => {
    expect(codes(withQuery('OktaSSO\n| project Account = ActorUsername'))).toEqual([]);
    const rule = withQuery('OktaSSO\n| where EventOutcome == "FAILURE"', 'ActorUsername');
    const result = validateFiles(fixtureWith({ rule }), true).diagnostics;
    expect(result.map((d) => [d.code, d.severity])).toEqual([['kql.unchecked-columns', 'warning']]);
    expect(result[0]).toMatchObject({
      message:
        "column(s) ActorUsername named by the rule cannot be checked: the query's result columns depend on function 'OktaSSO' (its result columns are not declared)",
      hint: 'Declare the missing table in schemas/tables/ or the function with its columns in schemas/functions/ (docs/tables-and-functions.md).',
    });
  });

  it('ASIM results are typed: a mapped column the parser does not output is kql.missing-column', () => {
    const rule = withQuery('imAuthentication\n| where EventResult == "Failure"\n| project TargetUsername', 'TargetUserName');
    expect(codes(rule).map((d) => d.code)).toEqual(['kql.column-case']);
  });
});
