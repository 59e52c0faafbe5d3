// Cross-file checks on their own: duplicates across files (each file names the others), override keys,
// workspace names and targets, unknown rules and watchlists in workspaces.yaml.
import { describe, expect, it } from 'vitest';
import { collectionDiagnostics, type RuleDocument } from '../../../scripts/core/validate/collection.ts';
import { parseYaml } from '../../../scripts/core/yaml/document.ts';

function doc(file: string, text: string) {
  const parsed = parseYaml(file, text);
  if (!parsed.ok) throw new Error(`${file} does not parse`);
  return parsed.document;
}
const rule = (file: string, text: string): RuleDocument => ({
  slug: file.replace(/^rules\//, '').replace(/\.ya?ml$/i, ''),
  doc: doc(file, text),
});
const d = (code: string, severity: string, file: string, line: number, column: number, message: string, hint?: string) => ({
  code,
  severity,
  message,
  file,
  line,
  column,
  ...(hint === undefined ? {} : { hint }),
});
const ID_HINT = 'Every rule needs its own GUID: give the newer rule a fresh one (node -p "crypto.randomUUID()").';
const NAME_HINT = 'Two rules with one name are hard to tell apart in the portal: rename one.';
const ALIAS_HINT = 'Watchlist aliases are unique per workspace (case-insensitive): rename one.';

describe('collectionDiagnostics: duplicates across files', () => {
  it('ids and aliases in any case are errors, names in any case and spacing a warning, on every file naming the others', () => {
    const rules = [
      rule('rules/a.yaml', 'id: AB\nname: One\n'),
      rule('rules/b.yaml', 'x: 1\nid: ab\nname: " one "\n'),
      rule('rules/c.yaml', 'id: Ab\nname: two\n'),
      rule('rules/d.yaml', 'name: ""\n'),
    ];
    const watchlists = [
      doc('watchlists/w.yaml', 'alias: IPsum\n'),
      doc('watchlists/v.yaml', 'alias: ipsum\n'),
      doc('watchlists/u.yaml', 'x: 1\n'),
    ];
    expect(collectionDiagnostics(rules, watchlists).diagnostics).toStrictEqual([
      d('collection.duplicate-id', 'error', 'rules/a.yaml', 1, 5, "rule id 'AB' is also used by rules/b.yaml:2, rules/c.yaml:1", ID_HINT),
      d('collection.duplicate-id', 'error', 'rules/b.yaml', 2, 5, "rule id 'ab' is also used by rules/a.yaml:1, rules/c.yaml:1", ID_HINT),
      d('collection.duplicate-id', 'error', 'rules/c.yaml', 1, 5, "rule id 'Ab' is also used by rules/a.yaml:1, rules/b.yaml:2", ID_HINT),
      d('collection.duplicate-name', 'warning', 'rules/a.yaml', 2, 7, "rule name 'One' is also used by rules/b.yaml:3", NAME_HINT),
      d('collection.duplicate-name', 'warning', 'rules/b.yaml', 3, 7, "rule name ' one ' is also used by rules/a.yaml:2", NAME_HINT),
      d(
        'collection.duplicate-alias',
        'error',
        'watchlists/w.yaml',
        1,
        8,
        "watchlist alias 'IPsum' is also used by watchlists/v.yaml:1",
        ALIAS_HINT,
      ),
      d(
        'collection.duplicate-alias',
        'error',
        'watchlists/v.yaml',
        1,
        8,
        "watchlist alias 'ipsum' is also used by watchlists/w.yaml:1",
        ALIAS_HINT,
      ),
    ]);
  });

  it('two rule files with one override key (paths equal but for case or extension): an error on the second', () => {
    expect(collectionDiagnostics([rule('rules/net/a.yaml', 'id: 1\n'), rule('rules/Net/A.yml', 'id: 2\n')], []).diagnostics).toStrictEqual([
      d(
        'collection.duplicate-slug',
        'error',
        'rules/Net/A.yml',
        1,
        1,
        "rule files rules/net/a.yaml and rules/Net/A.yml have one override key 'net/a' in workspaces.yaml (paths equal but for case or .yaml/.yml)",
        'Rename one of the two files.',
      ),
    ]);
  });
});

describe('collectionDiagnostics: workspaces.yaml', () => {
  const entry = (name: string | undefined, sub: string, extra = '') =>
    `${name === undefined ? '    -' : `    - name: ${name}\n     `} subscriptionId: ${sub}\n      resourceGroup: rg\n      workspace: law\n${extra}`;
  const extra =
    '      rules:\n        ipsum-inbound: {}\n        otherr: {}\n        zzz: {}\n        broken: {}\n      watchlists:\n        IPsun: {}\n        qqq: {}\n';
  const workspaces = doc(
    'workspaces.yaml',
    `environments:\n  dev:\n${entry('one', 'S1')}${entry('One', 's1')}${entry('two', 'S2', extra)}${entry(undefined, 's2')}${entry(undefined, 'S3')}${entry(undefined, 'S3')}`,
  );
  const rules = [rule('rules/net/ipsum-inbound.yaml', 'id: 1\n'), rule('rules/other.yaml', 'id: 2\n')];
  const err = (code: string, line: number, column: number, message: string, hint?: string) =>
    d(code, 'error', 'workspaces.yaml', line, column, message, hint);
  const TARGET_HINT = 'List each workspace once per environment.';
  const unknownRule = (line: number, slug: string, hint: string) =>
    err('workspaces.unknown-rule', line, 9, `no rule file rules/${slug}.yaml`, hint);

  it('names and targets once per environment (any case); override keys and aliases that name nothing, with the way to the right one', () => {
    expect(
      collectionDiagnostics(rules, [doc('watchlists/w.yaml', 'alias: IPsum\n')], workspaces, new Set(['Broken'])).diagnostics,
    ).toStrictEqual([
      err(
        'workspaces.duplicate-name',
        7,
        13,
        "workspace name 'One' is already used in environment dev",
        'Workspace names label reports and --workspace filters: make each unique.',
      ),
      err('workspaces.duplicate-target', 10, 18, "this Log Analytics workspace is already listed in dev as 'one'", TARGET_HINT),
      unknownRule(16, 'ipsum-inbound', "Rules in sub-folders are keyed by their path under rules/ without .yaml: 'net/ipsum-inbound'."),
      unknownRule(17, 'otherr', "Did you mean 'other'?"),
      unknownRule(
        18,
        'zzz',
        "Overrides are keyed by the rule file's path under rules/ without .yaml (e.g. my-rule, or network/my-rule for rules/network/my-rule.yaml).",
      ),
      d(
        'workspaces.rule-unreadable',
        'warning',
        'workspaces.yaml',
        19,
        9,
        'rule broken could not be read, so its overrides here are not checked',
        'Fix the errors reported in its rule file; these overrides are checked again once it reads.',
      ),
      err('workspaces.unknown-watchlist', 21, 9, "no watchlist with alias 'IPsun' in watchlists/", "Did you mean 'IPsum'?"),
      err('workspaces.unknown-watchlist', 22, 9, "no watchlist with alias 'qqq' in watchlists/"),
      err('workspaces.duplicate-target', 25, 18, "this Log Analytics workspace is already listed in dev as 'two'", TARGET_HINT),
      // an entry without a name is named by its index
      err('workspaces.duplicate-target', 31, 18, "this Log Analytics workspace is already listed in dev as '4'", TARGET_HINT),
    ]);
  });
});

describe('collectionDiagnostics: parameter overrides and watchlist scores', () => {
  const r = rule(
    'rules/r.yaml',
    'id: 1\nparameters:\n  MinScore:\n    type: int\n    description: Minimum IPsum score.\n    watchlistScore: ipsum\n  Other:\n    type: int\n    watchlistScore: nofeed\n  Loose:\n    description: no type\n',
  );
  const q = rule('rules/q.yaml', 'id: 2\n');
  const watchlists = [
    doc('watchlists/w.yaml', 'alias: ipsum\nfeed:\n  minScore: 5\n  scoreThresholds: [7]\n'),
    doc('watchlists/n.yaml', 'alias: nofeeds\n'),
  ];
  const overrides = (i: number, name: string, body: string) =>
    `    - name: ${name}\n      subscriptionId: s${i}\n      rules:\n        r:\n          parameters:\n${body}`;
  const workspaces = doc(
    'workspaces.yaml',
    `environments:\n  dev:\n${overrides(0, 'a', '            MinScore: 4\n            Minscore: 1\n            Loose: x\n            Zzz: 1\n        q:\n          parameters:\n            X: 1\n')}${overrides(1, 'b', '            MinScore: 6\n')}${overrides(2, 'c', '            MinScore: "high"\n')}${overrides(3, 'd', '            MinScore: 7\n')}${overrides(4, 'e', '            MinScore: 5\n')}`,
  );
  const err = (code: string, line: number, column: number, message: string, hint?: string) =>
    d(code, 'error', 'workspaces.yaml', line, column, message, hint);
  const noFeed = d(
    'collection.unknown-watchlist',
    'error',
    'rules/r.yaml',
    9,
    21,
    "no watchlist with alias 'nofeed' and a feed in watchlists/",
  );

  it('unknown parameters and rejected values are errors; a score filter must be the entry level or a threshold', () => {
    const result = collectionDiagnostics([r, q], watchlists, workspaces);
    expect(result.diagnostics).toStrictEqual([
      err('workspaces.unknown-parameter', 9, 13, "rule r has no parameter 'Minscore'", "Did you mean 'MinScore'?"),
      err('workspaces.unknown-parameter', 11, 13, "rule r has no parameter 'Zzz'", 'Its parameters: MinScore, Other, Loose.'),
      err('workspaces.parameter-value', 26, 23, 'MinScore: expected a whole number, got "high"', 'Minimum IPsum score.'),
      err('workspaces.unknown-parameter', 14, 13, "rule q has no parameter 'X'", 'The rule declares no parameters.'),
      err(
        'collection.watchlist-score',
        8,
        23,
        "MinScore 4 is below watchlist ipsum's minScore 5: those addresses are never in the watchlist",
        'Use 5 or more.',
      ),
      err(
        'collection.watchlist-score',
        20,
        23,
        "MinScore 6 filters watchlist ipsum's Score, but the sync only keeps scores exact at 5, 7",
        'Add 6 to feed.scoreThresholds in watchlists/w.yaml.',
      ),
      noFeed,
    ]);
    // later layers see only the accepted values (a declaration without a type checks nothing and passes nothing on)
    expect([...result.overrides.get(r)!].map((o) => [o.entry.name, [...o.values]])).toStrictEqual([
      ['a', [['MinScore', 4]]],
      ['b', [['MinScore', 6]]],
      ['c', []],
      ['d', [['MinScore', 7]]],
      ['e', [['MinScore', 5]]],
    ]);
    expect(result.overrides.get(q)!.map((o) => [o.entry.name, [...o.values]])).toStrictEqual([['a', []]]);
  });

  it('without workspaces.yaml only the watchlist a parameter names is checked', () => {
    expect(collectionDiagnostics([r], watchlists)).toStrictEqual({ diagnostics: [noFeed], overrides: new Map() });
  });
});
