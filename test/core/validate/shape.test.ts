// schema.not-a-rule / schema.not-a-watchlist: one diagnostic for a file of another kind, saying what it looks like.
import { describe, expect, it } from 'vitest';
import { shapeDiagnostic } from '../../../scripts/core/validate/shape.ts';
import { parseYaml } from '../../../scripts/core/yaml/document.ts';

function doc(file: string, text: string) {
  const parsed = parseYaml(file, text);
  if (!parsed.ok) throw new Error('fixture does not parse');
  return parsed.document;
}
const RULE = 'every YAML file under rules/ must be an analytics rule (id, name, severity, query, …); this one has none of its keys';
const inRules = (message: string) => ({
  code: 'schema.not-a-rule',
  severity: 'error',
  file: 'rules/a.yaml',
  line: 1,
  column: 1,
  message: `${RULE} ${message}`,
  hint: 'Move it out of rules/, or give it another extension than .yaml/.yml. Nothing under rules/ is skipped.',
});

describe('shapeDiagnostic', () => {
  it.each([
    ['environments: {}\n', '(environments): it looks like workspaces.yaml'],
    ['alias: x\n', '(alias): it looks like a watchlist definition, which belongs in watchlists/'],
    ['alias: x\nfoo: 1\n', '(alias, foo): it looks like a watchlist definition, which belongs in watchlists/'],
    ['FunctionName: f\n', '(FunctionName): it looks like a parser (workspace function)'],
    ['Function: f\n', '(Function): it looks like a parser (workspace function)'],
    ['ParserName: f\n', '(ParserName): it looks like a parser (workspace function)'],
    ['FunctionQuery: f\n', '(FunctionQuery): it looks like a parser (workspace function)'],
    ['ParserQuery: f\n', '(ParserQuery): it looks like a parser (workspace function)'],
    ['on: push\njobs: {}\n', '(on, jobs): it looks like a GitHub workflow'],
    ['on: push\n', '(on)'],
    ['jobs: {}\n', '(jobs)'],
    ['a: 1\nb: 2\nc: 3\nd: 4\ne: 5\n', '(a, b, c, d, e)'],
    ['a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\n', '(a, b, c, d, e, …)'],
    ['{}\n', '(empty mapping)'],
  ])('a rules/ file of %j', (text, message) => {
    expect(shapeDiagnostic('rule', doc('rules/a.yaml', text))).toStrictEqual(inRules(message));
  });

  it('a watchlists/ file without a watchlist key, here a rule', () => {
    expect(shapeDiagnostic('watchlist', doc('watchlists/a.yaml', 'name: n\nquery: x\n'))).toStrictEqual({
      code: 'schema.not-a-watchlist',
      severity: 'error',
      file: 'watchlists/a.yaml',
      line: 1,
      column: 1,
      message:
        'every YAML file under watchlists/ must be a watchlist definition (alias, columns, itemsSearchKey, …); this one has none of its keys (name, query): it looks like an analytics rule, which belongs in rules/',
      hint: 'Move it out of watchlists/, or give it another extension than .yaml/.yml. Nothing under watchlists/ is skipped.',
    });
  });

  it('one key of its kind is enough; workspaces.yaml has no such check', () => {
    expect(shapeDiagnostic('rule', doc('rules/a.yaml', 'id: x\nname: n\nquery: q\n'))).toBeUndefined();
    expect(shapeDiagnostic('watchlist', doc('watchlists/a.yaml', 'name: n\nalias: a\n'))).toBeUndefined();
    expect(shapeDiagnostic('workspaces', doc('workspaces.yaml', 'x: 1\n'))).toBeUndefined();
  });
});
