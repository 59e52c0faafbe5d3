// Layer (b) on its own: each kind of schema error becomes one diagnostic with its code, place,
// message and hint (what users read), whatever the layers around it do.
import { describe, expect, it } from 'vitest';
import { schemaDiagnostics, type ContentKind } from '../../../scripts/core/validate/schema.ts';
import { parseYaml } from '../../../scripts/core/yaml/document.ts';
import { RULE_YAML } from '../../support/rule-model.ts';

const FILES: Record<ContentKind, string> = { rule: 'rules/r.yaml', watchlist: 'watchlists/w.yaml', workspaces: 'workspaces.yaml' };
function check(kind: ContentKind, text: string) {
  const parsed = parseYaml(FILES[kind], text);
  if (!parsed.ok) throw new Error('fixture does not parse');
  return schemaDiagnostics(kind, parsed.document);
}
const error = (kind: ContentKind, code: string, line: number, column: number, message: string, hint?: string) => ({
  code,
  severity: 'error',
  message,
  file: FILES[kind],
  line,
  column,
  ...(hint === undefined ? {} : { hint }),
});
const W =
  'alias: ipsum\ndisplayName: IPsum\ndescription: d\nprovider: p\nitemsSearchKey: IPAddress\ncolumns:\n  - name: IPAddress\n    type: string\n';
const watchlist = (text: string) => check('watchlist', text);
const inWatchlist = (code: string, line: number, column: number, message: string, hint?: string) =>
  error('watchlist', code, line, column, message, hint);
const CONTROL_HINT = 'Remove it (a line break in a name, an escape sequence or a bidirectional override pasted from elsewhere).';
const control = (column: number, shown: string, character: number) =>
  inWatchlist(
    'schema.control-character',
    2,
    column,
    `displayName contains the control character ${shown} (character ${character}): names and descriptions are shown in reports, pull-request comments and the portal`,
    CONTROL_HINT,
  );

describe('schemaDiagnostics (watchlist)', () => {
  it('a valid definition is clean', () => {
    expect(watchlist(W)).toStrictEqual([]);
  });

  it('an unknown key: the nearest allowed key, or all of them sorted; a typo is not also a missing key', () => {
    expect(watchlist(`${W}itemSearchKey: x\n`)).toStrictEqual([
      inWatchlist('schema.unknown-key', 9, 1, "unknown key 'itemSearchKey'", "Did you mean 'itemsSearchKey'?"),
    ]);
    expect(watchlist(`${W}zzz: 1\n`)).toStrictEqual([
      inWatchlist(
        'schema.unknown-key',
        9,
        1,
        "unknown key 'zzz'",
        "Allowed keys here: 'alias', 'bootstrapCsv', 'columns', 'defaultDuration', 'description', 'displayName', 'feed', 'itemsSearchKey', 'labels', 'provider' or 'source'.",
      ),
    ]);
    expect(watchlist(W.replace('provider: p\n', 'providr: p\n'))).toStrictEqual([
      inWatchlist('schema.unknown-key', 4, 1, "unknown key 'providr'", "Did you mean 'provider'?"),
    ]);
    expect(watchlist(`${W}  - name: B\n    type: int\n    colour: x\n`)).toStrictEqual([
      inWatchlist('schema.unknown-key', 11, 5, "unknown key 'colour' in columns[1]", "Allowed keys here: 'description', 'name' or 'type'."),
    ]);
  });

  it('a missing key, at the top level or under its parent', () => {
    expect(watchlist(W.replace('provider: p\n', ''))).toStrictEqual([
      inWatchlist('schema.missing-key', 1, 1, "missing required key 'provider'", "Add 'provider:' at the top level."),
    ]);
    expect(watchlist(`${W}  - name: B\n`)).toStrictEqual([
      inWatchlist('schema.missing-key', 9, 5, "missing required key 'type' in columns[1]", "Add 'type:' under columns[1]."),
    ]);
  });

  it('a value outside an enum: the nearest value, or all of them in the schema order', () => {
    expect(watchlist(W.replace('type: string', 'type: strin'))).toStrictEqual([
      inWatchlist('schema.enum', 8, 11, "'strin' is not an allowed value for columns[0].type", "Did you mean 'string'?"),
    ]);
    expect(watchlist(W.replace('type: string', 'type: zzzz'))).toStrictEqual([
      inWatchlist(
        'schema.enum',
        8,
        11,
        "'zzzz' is not an allowed value for columns[0].type",
        "Use one of 'string', 'int', 'long', 'real', 'bool', 'datetime', 'timespan', 'guid' or 'dynamic'.",
      ),
    ]);
  });

  it.each([
    ['[a]', 11, 'a list'],
    ['', 1, 'null (an empty value)'],
    ['5', 11, 'a number (5)'],
    ['{a: 1}', 11, 'a mapping'],
    ['true', 11, 'a boolean (true)'],
  ])('a value of the wrong type: provider: %s', (value, column, what) => {
    expect(watchlist(W.replace('provider: p', `provider: ${value}`.trimEnd()))).toStrictEqual([
      inWatchlist('schema.type', 4, column, `provider must be a string, not ${what}`),
    ]);
  });

  it("a value off its pattern: the schema's description as the hint", () => {
    expect(watchlist(W.replace('alias: ipsum', 'alias: "-bad alias-"'))).toStrictEqual([
      inWatchlist(
        'schema.format',
        1,
        8,
        "'-bad alias-' is not a valid value for alias",
        "Watchlist alias: 3-64 characters, letters and digits first and last, spaces, hyphens and underscores between. Rules read it with _GetWatchlist('<alias>').",
      ),
    ]);
  });

  it('a control character in a name: which, and where inside the string, never the text', () => {
    expect(watchlist(W.replace('displayName: IPsum', 'displayName: "IP\\u001bsum"'))).toStrictEqual([control(17, '\\u001b', 3)]);
    expect(watchlist(W.replace('displayName: IPsum', 'displayName: "IPs\\num"'))).toStrictEqual([control(18, '\\n', 4)]);
  });

  it('lengths, counts, ranges and duplicates', () => {
    expect(watchlist(W.replace('alias: ipsum', 'alias: ab'))).toStrictEqual([
      inWatchlist('schema.length', 1, 8, 'alias must NOT have fewer than 3 characters (has 2)'),
    ]);
    expect(watchlist(W.replace('columns:\n  - name: IPAddress\n    type: string\n', 'columns: []\n'))).toStrictEqual([
      inWatchlist('schema.count', 6, 10, 'columns must NOT have fewer than 1 items'),
    ]);
    expect(watchlist(`${W}labels: [a, a]\n`)).toStrictEqual([
      inWatchlist('schema.duplicate-item', 9, 9, 'labels lists the same value twice', 'Remove the duplicate entry.'),
    ]);
    expect(watchlist(`${W}feed:\n  format: ipsum\n  url: https://feed.invalid/x\n  minScore: 0\n`)).toStrictEqual([
      inWatchlist('schema.range', 12, 13, 'feed.minScore must be >= 1 (is 0)'),
    ]);
  });
});

describe('schemaDiagnostics (rule)', () => {
  const rule = (text: string) => check('rule', `${text}requiredDataConnectors: []\n`);
  const inRule = (code: string, line: number, column: number, message: string, hint?: string) =>
    error('rule', code, line, column, message, hint);

  it('a key required only for Scheduled rules says so', () => {
    expect(rule(RULE_YAML)).toStrictEqual([]);
    expect(rule(RULE_YAML.replace('queryFrequency: 1h\n', ''))).toStrictEqual([
      inRule(
        'schema.missing-key',
        1,
        1,
        "missing required key 'queryFrequency' (required for Scheduled rules)",
        "Add 'queryFrequency:' at the top level.",
      ),
    ]);
  });

  it('a pattern without a description: the pattern itself is the hint', () => {
    expect(rule(RULE_YAML.replace('relevantTechniques: [T1190]', 'relevantTechniques: [X1190]'))).toStrictEqual([
      inRule(
        'schema.format',
        12,
        22,
        "'X1190' is not a valid value for relevantTechniques[0]",
        'Expected a value matching ^T[0-9]{4}(\\.[0-9]{3})?$.',
      ),
    ]);
  });

  it('a number above its maximum; a key off its key pattern', () => {
    expect(rule(RULE_YAML.replace('triggerThreshold: 0', 'triggerThreshold: 10001'))).toStrictEqual([
      inRule('schema.range', 10, 19, 'triggerThreshold must be <= 10000 (is 10001)'),
    ]);
    expect(rule(`${RULE_YAML}lints:\n  Bad: x\n`)).toStrictEqual([
      inRule(
        'schema.key-format',
        17,
        3,
        "'Bad' is not a valid key in lints",
        'A lint code such as lint.ingestion-delay (the code the warning shows).',
      ),
    ]);
  });
});

describe('schemaDiagnostics (workspaces)', () => {
  const ws = (text: string) => check('workspaces', `repository: org/repo\n${text}`);
  const inWs = (code: string, line: number, column: number, message: string, hint?: string) =>
    error('workspaces', code, line, column, message, hint);

  it('counts of properties, key patterns with their description, the type of a mapping', () => {
    expect(ws('environments: {}\n')).toStrictEqual([inWs('schema.count', 2, 15, 'environments must NOT have fewer than 1 properties')]);
    expect(ws('environments:\n  "Bad Env": []\n')).toStrictEqual([
      inWs(
        'schema.key-format',
        3,
        4,
        "'Bad Env' is not a valid key in environments",
        'Environment names are lower-case letters, digits and hyphens (they name GitHub Environments and output folders).',
      ),
      inWs('schema.count', 3, 14, 'environments.Bad Env must NOT have fewer than 1 items'),
    ]);
    expect(ws('environments: 5\n')).toStrictEqual([inWs('schema.type', 2, 15, 'environments must be an object, not a number (5)')]);
  });
});
