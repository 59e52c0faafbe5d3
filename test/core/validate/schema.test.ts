// Layer (b) on its own: each kind of schema error becomes one diagnostic with its code, place,
// message and hint (what users read), whatever the layers around it do.
import { describe, expect, it } from 'vitest';
import { schemaDiagnostics, schemaValidators, type ContentKind } from '../../../scripts/core/validate/schema.ts';
import { parseYaml } from '../../../scripts/core/yaml/document.ts';
import { RULE_YAML } from '../../support/rule-model.ts';

const FILES: Record<ContentKind, string> = { rule: 'rules/r.yaml', watchlist: 'watchlists/w.yaml', workspaces: 'workspaces.yaml' };
function check(kind: ContentKind, text: string, validators?: ReturnType<typeof schemaValidators>) {
  const parsed = parseYaml(FILES[kind], text);
  if (!parsed.ok) throw new Error('fixture does not parse');
  return schemaDiagnostics(kind, parsed.document, validators);
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

describe('schemaValidators', () => {
  it('compiles each kind once, on first use, and keeps it', () => {
    const validators = schemaValidators();
    const rule = validators('rule');
    expect(rule).toBeTypeOf('function');
    expect(validators('rule')).toBe(rule);
    expect(validators('watchlist')).not.toBe(rule);
    expect(schemaValidators()('rule')).not.toBe(rule);
  });

  // Compiled here, not taken from the shared set that earlier tests filled: the options are what is checked.
  it('reports every error of a document, not only the first', () => {
    expect(check('watchlist', W.replace('alias: ipsum', 'alias: ab').replace('provider: p\n', ''), schemaValidators())).toStrictEqual([
      inWatchlist('schema.missing-key', 1, 1, "missing required key 'provider'", "Add 'provider:' at the top level."),
      inWatchlist('schema.length', 1, 8, 'alias must NOT have fewer than 3 characters (has 2)'),
    ]);
  });

  it("keeps each error's schema and value: the description as the hint, the value in the message", () => {
    expect(check('watchlist', W.replace('alias: ipsum', 'alias: "-bad-"'), schemaValidators())).toStrictEqual([
      inWatchlist(
        'schema.format',
        1,
        8,
        "'-bad-' is not a valid value for alias",
        "Watchlist alias: 3-64 characters, letters and digits first and last, spaces, hyphens and underscores between. Rules read it with _GetWatchlist('<alias>').",
      ),
    ]);
  });

  it.each([
    ['.inf', 'Infinity'],
    ['.nan', 'NaN'],
  ])('YAML %s is not a number a rule can use (strict numbers), and is shown as such', (value, shown) => {
    const rule = `${RULE_YAML.replace('triggerThreshold: 0', `triggerThreshold: ${value}`)}requiredDataConnectors: []\n`;
    expect(check('rule', rule, schemaValidators())).toStrictEqual([
      error('rule', 'schema.type', 10, 19, `triggerThreshold must be an integer, not a number (${shown})`),
    ]);
  });

  it('a string where a number belongs is shown quoted', () => {
    const rule = `${RULE_YAML.replace('triggerThreshold: 0', 'triggerThreshold: "5"')}requiredDataConnectors: []\n`;
    expect(check('rule', rule)).toStrictEqual([
      error('rule', 'schema.type', 10, 19, 'triggerThreshold must be an integer, not a string ("5")'),
    ]);
  });
});

describe('schemaDiagnostics (more rule keywords)', () => {
  const rule = (text: string) => check('rule', `${RULE_YAML}requiredDataConnectors: []\n${text}`);

  it('more than 20 custom details: a count at the mapping', () => {
    const details = Array.from({ length: 21 }, (_, i) => `  D${i}: C${i}\n`).join('');
    expect(rule(`customDetails:\n${details}`)).toStrictEqual([
      error('rule', 'schema.count', 18, 3, 'customDetails must NOT have more than 20 properties'),
    ]);
  });

  it('a tag that is neither a string nor a mapping: the branches say why, anyOf adds nothing', () => {
    expect(rule('tags: [5]\n')).toStrictEqual([
      error('rule', 'schema.type', 17, 8, 'tags[0] must be a string, not a number (5)'),
      error('rule', 'schema.type', 17, 8, 'tags[0] must be an object, not a number (5)'),
    ]);
  });
});

// Keywords the repository's schemas do not use (yet): a schema author adding one gets diagnostics that say what is wrong.
describe('schemaDiagnostics (keywords in other schemas)', () => {
  const withSchema = (schema: object, text: string) => check('rule', text, schemaValidators({ rule: schema }));
  const inRule = (code: string, line: number, column: number, message: string, hint?: string) =>
    error('rule', code, line, column, message, hint);

  it('exclusive bounds are ranges', () => {
    const schema = {
      type: 'object',
      properties: { low: { type: 'number', exclusiveMinimum: 0 }, high: { type: 'number', exclusiveMaximum: 10 } },
    };
    expect(withSchema(schema, 'low: 0\nhigh: 10\n')).toStrictEqual([
      inRule('schema.range', 1, 6, 'low must be > 0 (is 0)'),
      inRule('schema.range', 2, 7, 'high must be < 10 (is 10)'),
    ]);
  });

  it('a type, a count or an invalid value at the top of the document', () => {
    expect(withSchema({ type: 'array' }, 'a: 1\n')).toStrictEqual([
      inRule('schema.type', 1, 1, 'the document must be an array, not a mapping'),
    ]);
    expect(withSchema({ type: 'object', minProperties: 1 }, '{}\n')).toStrictEqual([
      inRule('schema.count', 1, 1, 'the document must NOT have fewer than 1 properties'),
    ]);
    expect(withSchema({ not: { type: 'object' } }, 'a: 1\n')).toStrictEqual([
      inRule('schema.invalid', 1, 1, 'the document must NOT be valid'),
    ]);
  });

  it('a value matching neither constant of a oneOf: one diagnostic (the same from both branches), oneOf adds nothing', () => {
    const schema = { type: 'object', properties: { mode: { oneOf: [{ const: 'a' }, { const: 'b' }] } } };
    expect(withSchema(schema, 'mode: c\n')).toStrictEqual([inRule('schema.invalid', 1, 7, 'mode must be equal to constant')]);
    expect(withSchema(schema, 'mode: a\n')).toStrictEqual([]);
  });

  it('a key off a pattern without a description: the pattern is the hint; other key rules give none', () => {
    expect(withSchema({ type: 'object', propertyNames: { pattern: '^[a-z]+$' } }, 'ok: 1\nBad: 2\n')).toStrictEqual([
      inRule('schema.key-format', 2, 1, "'Bad' is not a valid key", 'Keys here must match ^[a-z]+$.'),
    ]);
    expect(withSchema({ type: 'object', propertyNames: { maxLength: 3 } }, 'long: 1\n')).toStrictEqual([
      inRule('schema.key-format', 1, 1, "'long' is not a valid key"),
    ]);
  });

  describe('a pattern that refuses characters', () => {
    const refusing = (pattern: string) => ({ type: 'object', properties: { name: { type: 'string', pattern, description: 'A name.' } } });
    const controlIn = (column: number, shown: string, character: number) =>
      inRule(
        'schema.control-character',
        1,
        column,
        `name contains the control character ${shown} (character ${character}): names and descriptions are shown in reports, pull-request comments and the portal`,
        CONTROL_HINT,
      );

    it('a control character it refuses is named; a printable one it refuses is a plain format error', () => {
      const schema = refusing('^[^<>\\u0000-\\u001f]*$');
      expect(withSchema(schema, 'name: "a\\u0001b"\n')).toStrictEqual([controlIn(9, '\\u0001', 2)]);
      expect(withSchema(schema, 'name: a<b\n')).toStrictEqual([
        inRule('schema.format', 1, 7, "'a<b' is not a valid value for name", 'A name.'),
      ]);
    });

    it('read as ajv reads it (unicode escapes)', () => {
      expect(withSchema(refusing('^[^\\u{0}-\\u{1f}]*$'), 'name: "ab\\u0002"\n')).toStrictEqual([controlIn(10, '\\u0002', 3)]);
    });

    it.each(['^[^\\u0000-\\u001f]*$|^-$', '^-$|^[^\\u0000-\\u001f]*$'])('only when that is the whole pattern: %s', (pattern) => {
      expect(withSchema(refusing(pattern), 'name: "a\\u0001b"\n')).toStrictEqual([
        inRule('schema.format', 1, 7, "'a\u0001b' is not a valid value for name", 'A name.'),
      ]);
    });
  });
});
