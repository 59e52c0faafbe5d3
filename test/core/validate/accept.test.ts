// What Microsoft's format and shipped content accept is accepted (issue 9.5), with a warning where this
// repository prefers another spelling; strict only where it matters.
import { describe, expect, it } from 'vitest';
import { fixture, positionOf, replaceOnce, validateFiles } from '../../support/content.ts';

// The fixture rule, its watchlist, no workspaces.yaml (its overrides are not the point here).
const run = (rule: string, workspaces?: string) =>
  validateFiles({ rules: { rule }, watchlists: { ipsum: fixture.watchlist }, ...(workspaces ? { workspaces } : {}) });
const found = (rule: string, workspaces?: string) =>
  run(rule, workspaces).diagnostics.map((d) => ({ code: d.code, severity: d.severity, line: d.line, column: d.column }));

describe('MITRE ATT&CK techniques of the current version', () => {
  it.each([
    ['T1659 (Content Injection) under InitialAccess', 'InitialAccess', 'T1659'],
    ['T1659 under its other tactic, CommandAndControl', 'CommandAndControl', 'T1659'],
    ['T1078 under any of its four tactics', 'PrivilegeEscalation', 'T1078'],
    ["a sub-technique under its parent's tactic", 'InitialAccess', 'T1195.002'],
  ])('accepts %s', (_, tactic, technique) => {
    const rule = replaceOnce(
      replaceOnce(fixture.rule, 'tactics:\n  - InitialAccess', `tactics:\n  - ${tactic}`),
      '  - T1190',
      `  - ${technique}`,
    );
    expect(found(rule)).toEqual([]);
  });

  it('warns about a revoked technique, naming its replacement', () => {
    const rule = replaceOnce(fixture.rule, '  - T1190', '  - T1190\n  - T1035');
    const diagnostics = run(rule).diagnostics;
    expect(diagnostics.map((d) => [d.code, d.severity, d.line, d.column])).toEqual([
      ['rule.retired-technique', 'warning', ...Object.values(positionOf(rule, 'T1035'))],
    ]);
    expect(diagnostics[0]!.hint).toBe('Use T1569.002 instead (what ATT&CK replaced it with).');
  });
});

describe('entity identifiers of the documented set', () => {
  it.each([
    ['Account', 'CloudAppAccountId'],
    ['IP', 'AddressScope'],
    ['AzureResource', 'SubscriptionId'],
    ['Mailbox', 'AadId'],
  ])('accepts %s %s', (type, identifier) => {
    const rule = replaceOnce(
      fixture.rule,
      '  - entityType: Host\n    fieldMappings:\n      - identifier: FullName\n        columnName: DeviceName',
      `  - entityType: Host\n    fieldMappings:\n      - identifier: FullName\n        columnName: DeviceName\n  - entityType: ${type}\n    fieldMappings:\n      - identifier: ${
        type === 'Account' ? 'Name' : type === 'IP' ? 'Address' : type === 'AzureResource' ? 'ResourceId' : 'MailboxPrimaryAddress'
      }\n        columnName: DeviceName\n      - identifier: ${identifier}\n        columnName: DeviceName`,
    );
    expect(found(rule)).toEqual([]);
  });
});

describe('non-ASCII characters in queries', () => {
  const inComment = replaceOnce(
    fixture.rule,
    "  | where ActionType == 'InboundConnectionAccepted'\n",
    "  | where ActionType == 'InboundConnectionAccepted' // conexión entrante — aceptada\n",
  );
  const inString = replaceOnce(
    fixture.rule,
    "  | where ActionType == 'InboundConnectionAccepted'\n",
    "  | where ActionType != 'Añadido'\n  | where ActionType == 'InboundConnectionAccepted'\n",
  );
  const inCode = replaceOnce(
    fixture.rule,
    "  | where ActionType == 'InboundConnectionAccepted'\n",
    '  | where ActionType == ’InboundConnectionAccepted’\n',
  );

  it('in a comment or a string literal: a warning per character, at the character, naming it', () => {
    const diagnostics = run(inComment).diagnostics;
    expect(diagnostics.map((d) => ({ code: d.code, severity: d.severity, line: d.line, column: d.column }))).toEqual([
      { code: 'rule.query-ascii', severity: 'warning', ...positionOf(inComment, 'ó') },
      { code: 'rule.query-ascii', severity: 'warning', ...positionOf(inComment, '—') },
    ]);
    expect(diagnostics[1]!.message).toBe("non-ASCII character U+2014 ('—') in a comment");
    expect(found(inString)).toEqual([{ code: 'rule.query-ascii', severity: 'warning', ...positionOf(inString, 'ñ') }]);
  });

  it('in the query code (typographic quotes): an error', () => {
    expect(found(inCode).filter((d) => d.code === 'rule.query-ascii')).toEqual([
      { code: 'rule.query-ascii', severity: 'error', ...positionOf(inCode, '’') },
      { code: 'rule.query-ascii', severity: 'error', ...positionOf(inCode, '’InboundConnectionAccepted', 26) },
    ]);
  });

  it('a team that opts into the strict policy (workspaces.yaml validation.asciiQueries: strict) gets errors', () => {
    const workspaces = replaceOnce(fixture.workspaces, 'environments:', 'validation:\n  asciiQueries: strict\nenvironments:');
    const ascii = run(inComment, workspaces).diagnostics.filter((d) => d.code === 'rule.query-ascii');
    expect(ascii.map((d) => d.severity)).toEqual(['error', 'error']);
  });
});

describe('API spellings and empty optional keys in Azure-Sentinel YAML', () => {
  it('accepts GreaterThan, PT1H, P1D and lowercase kind with a warning naming the preferred spelling, and compiles them as usual', () => {
    let rule = replaceOnce(fixture.rule, 'triggerOperator: gt', 'triggerOperator: GreaterThan');
    rule = replaceOnce(rule, 'queryFrequency: 1h', 'queryFrequency: PT1H');
    rule = replaceOnce(rule, 'queryPeriod: 1h', 'queryPeriod: P1D');
    rule = replaceOnce(rule, 'kind: Scheduled', 'kind: scheduled');
    const result = run(rule);
    expect(result.diagnostics.map((d) => ({ code: d.code, severity: d.severity, line: d.line, column: d.column, hint: d.hint }))).toEqual([
      { code: 'rule.api-spelling', severity: 'warning', ...positionOf(rule, 'PT1H'), hint: 'Write queryFrequency: 1h.' },
      { code: 'rule.api-spelling', severity: 'warning', ...positionOf(rule, 'P1D'), hint: 'Write queryPeriod: 1d.' },
      { code: 'rule.api-spelling', severity: 'warning', ...positionOf(rule, 'GreaterThan'), hint: 'Write triggerOperator: gt.' },
      { code: 'rule.api-spelling', severity: 'warning', ...positionOf(rule, 'scheduled'), hint: 'Write kind: Scheduled.' },
    ]);
    const value = result.parsed.rules[0]!.doc.value as Record<string, unknown>;
    expect([value.triggerOperator, value.queryFrequency, value.queryPeriod, value.kind]).toEqual(['gt', '1h', '1d', 'Scheduled']);
  });

  it('nested empty keys are left out and empty technique lists read as none, each with a warning at its key', () => {
    let rule = replaceOnce(
      fixture.rule,
      'alertDetailsOverride:\n  alertDisplayNameFormat: Connection from {{RemoteIP}} to {{DeviceName}}\n',
      'alertDetailsOverride:\n  alertDisplayNameFormat: Connection from {{RemoteIP}} to {{DeviceName}}\n  alertTacticsColumnName:\n',
    );
    rule = replaceOnce(rule, 'relevantTechniques:\n  - T1190\n', 'relevantTechniques: ""\n');
    expect(found(rule)).toEqual([
      { code: 'rule.empty-key', severity: 'warning', ...positionOf(rule, 'relevantTechniques:') },
      { code: 'rule.empty-key', severity: 'warning', ...positionOf(rule, 'alertTacticsColumnName:') },
    ]);
  });

  it('an optional key with no value (alertDetailsOverride:) is left out with a warning at the key', () => {
    const rule = replaceOnce(
      fixture.rule,
      'alertDetailsOverride:\n  alertDisplayNameFormat: Connection from {{RemoteIP}} to {{DeviceName}}\n',
      'alertDetailsOverride:\n',
    );
    expect(found(rule)).toEqual([{ code: 'rule.empty-key', severity: 'warning', ...positionOf(rule, 'alertDetailsOverride:') }]);
  });
});
