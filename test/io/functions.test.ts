// Workspace functions declared in schemas/functions/: parsing, refusals, and queries calling them.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../scripts/core/errors.ts';
import { analyzeKql } from '../../scripts/core/kql/analyze.ts';
import { createKqlEnvironment } from '../../scripts/core/kql/symbols.ts';
import { loadFunctionSchemas, parseFunctionSchema } from '../../scripts/io/functions.ts';
import { repoCatalog, repoTables } from '../support/content.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'functions-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const withBody = `name: FailedLogons
description: Failed Windows logons, optionally for one account.
parameters:
  - name: lookback
    type: timespan
  - name: account
    type: string
    default: "'*'"
body: |
  SecurityEvent
  | where TimeGenerated > ago(lookback) and EventID == 4625
  | where account == '*' or Account =~ account
  | project TimeGenerated, Account, Computer, IpAddress
`;
const withColumns = `name: VipUsers
columns:
  - { name: UserPrincipalName, type: string }
  - { name: Tier, type: int }
`;

describe('parseFunctionSchema', () => {
  it('reads a body or the result columns, and the parameters as a Kusto parameter list', () => {
    expect(parseFunctionSchema('schemas/functions/FailedLogons.yaml', withBody)).toEqual({
      name: 'FailedLogons',
      origin: 'schemas/functions/FailedLogons.yaml',
      parameters: "(lookback:timespan, account:string='*')",
      body: "SecurityEvent\n| where TimeGenerated > ago(lookback) and EventID == 4625\n| where account == '*' or Account =~ account\n| project TimeGenerated, Account, Computer, IpAddress\n",
    });
    expect(parseFunctionSchema('VipUsers.yaml', withColumns)).toEqual({
      name: 'VipUsers',
      origin: 'VipUsers.yaml',
      columns: [
        { name: 'UserPrincipalName', type: 'string' },
        { name: 'Tier', type: 'int' },
      ],
    });
  });

  it.each([
    ['neither body nor columns', 'name: X\n', /exactly one of "body"/],
    ['both', 'name: X\nbody: T\ncolumns: [{ name: A, type: string }]\n', /exactly one of "body"/],
    ['a file named after another function', 'name: Other\nbody: T\n', /must be named Other\.yaml/],
    ['an unknown key', 'name: X\nbody: T\nquery: T\n', /unknown key "query"/],
    [
      'a parameter type that is not Kusto',
      'name: X\nparameters: [{ name: a, type: text }]\nbody: T\n',
      /parameters\[0\] \(a\): type "text"/,
    ],
    [
      'a required parameter after an optional one',
      'name: X\nparameters: [{ name: a, type: int, default: 1 }, { name: b, type: int }]\nbody: T\n',
      /parameters\[1\] \(b\) has no default/,
    ],
    ['a column declared twice', 'name: X\ncolumns: [{ name: A, type: string }, { name: A, type: int }]\n', /column "A" is declared twice/],
  ])('refuses %s, naming the file', (_, text, message) => {
    expect(() => parseFunctionSchema('dir/X.yaml', text)).toThrow(ConfigError);
    expect(() => parseFunctionSchema('dir/X.yaml', text)).toThrow(message);
  });
});

describe('functions in queries', () => {
  it('loads schemas/functions/*.yaml (absent folder: none), and queries calling them are checked', () => {
    expect(loadFunctionSchemas(join(dir, 'absent'))).toEqual([]);
    mkdirSync(join(dir, 'functions'));
    writeFileSync(join(dir, 'functions', 'FailedLogons.yaml'), withBody);
    writeFileSync(join(dir, 'functions', 'VipUsers.yaml'), withColumns);
    const functions = loadFunctionSchemas(join(dir, 'functions'));
    expect(functions.map((f) => f.name)).toEqual(['FailedLogons', 'VipUsers']);
    const env = createKqlEnvironment({ tables: repoTables(), watchlists: [], functions, providers: [repoCatalog()] });

    const ok = analyzeKql(
      env,
      'FailedLogons(1d)\n| join kind=inner (VipUsers) on $left.Account == $right.UserPrincipalName\n| project Account, Tier, IpAddress',
    );
    expect([ok.diagnostics, ok.unknownTables]).toEqual([[], []]);
    expect(ok.columns).toEqual([
      { name: 'Account', type: 'string' },
      { name: 'Tier', type: 'int' },
      { name: 'IpAddress', type: 'string' },
    ]);

    const wrong = analyzeKql(env, 'FailedLogons(1d, account="x") | project Workstation');
    expect(wrong.diagnostics.map((d) => d.kustoCode)).toEqual(['KS142']);
    const missingArgument = analyzeKql(env, 'FailedLogons() | project Account');
    expect(missingArgument.diagnostics.map((d) => d.severity)).toContain('error');
  });
});
