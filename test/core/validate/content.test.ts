// validateContent around its layers: what it counts, which files it reads as rules, what it hands the
// KQL layer and later commands (parsed.kql), and the team's strict ASCII policy.
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../scripts/core/diagnostics.ts';
import { checkFiles, completeValidation, validateContent, type ContentSet } from '../../../scripts/core/validate/validate.ts';
import { fixture, positionOf, repoTables, replaceOnce } from '../../support/content.ts';

const content = (more: Partial<ContentSet> = {}): ContentSet => ({
  rules: [{ path: 'rules/rule.yaml', text: fixture.rule }],
  watchlists: [{ path: 'watchlists/ipsum.yaml', text: fixture.watchlist }],
  workspaces: { path: 'workspaces.yaml', text: fixture.workspaces },
  tables: repoTables(),
  ...more,
});

describe('validateContent', () => {
  it('counts every file it was given: rules, watchlists and workspaces.yaml', () => {
    const twoRules = [
      { path: 'rules/rule.yaml', text: fixture.rule },
      { path: 'rules/other.yaml', text: ': not yaml' },
    ];
    expect(validateContent(content({ rules: twoRules })).files).toBe(4);
    expect(validateContent(content({ rules: twoRules, workspaces: undefined })).files).toBe(3);
  });

  it('without rules: the other layers only, and no KQL environment in the result', () => {
    const result = validateContent(content({ rules: [], workspaces: undefined }));
    expect(result.diagnostics).toStrictEqual([]);
    expect(Object.keys(result.parsed)).toStrictEqual(['rules', 'lets', 'watchlists']);
    expect(result.parsed.kql).toBeUndefined();
  });

  it('parsed.kql is the environment the KQL layer used: listed with the other keys, the same on every read', () => {
    const result = validateContent(content());
    expect(Object.keys(result.parsed)).toStrictEqual(['rules', 'lets', 'watchlists', 'workspaces', 'kql']);
    const env = result.parsed.kql;
    expect(env?.hasWatchlist('ipsum')).toBe(true);
    expect(result.parsed.kql).toBe(env);
  });

  it('when the KQL layer ran elsewhere (worker threads), parsed.kql is built from the same description on first read, then kept', () => {
    const parsed = completeValidation(checkFiles(content())).parsed;
    const env = parsed.kql;
    expect(env?.hasWatchlist('ipsum')).toBe(true);
    expect(parsed.kql).toBe(env);
  });

  it('a rule file whose name is not a slug is reported', () => {
    const result = validateContent(content({ rules: [{ path: 'rules/My_Rule.yaml', text: fixture.rule }], workspaces: undefined }));
    expect(result.diagnostics).toStrictEqual([
      {
        code: 'rule.file-name',
        severity: 'error',
        file: 'rules/My_Rule.yaml',
        line: 1,
        column: 1,
        message:
          '"rules/My_Rule.yaml" is not a slug: rule files and their folders are named with lower-case words and hyphens (the path under rules/ is the rule\'s key in workspaces.yaml)',
        hint: 'Rename it to rules/my-rule.yaml (then update its overrides in workspaces.yaml, if any, and run `npm run cli -- lock`).',
      },
    ]);
  });

  it('a watchlist definition without an alias gives the KQL layer no watchlist; the rule is checked as usual', () => {
    const noAlias = fixture.watchlist.replace('alias: ipsum\n', '');
    const result = validateContent(
      content({
        watchlists: [
          { path: 'watchlists/ipsum.yaml', text: fixture.watchlist },
          { path: 'watchlists/other.yaml', text: noAlias },
        ],
      }),
    );
    expect(result.diagnostics).toStrictEqual([
      {
        code: 'schema.missing-key',
        severity: 'error',
        file: 'watchlists/other.yaml',
        ...positionOf(noAlias, 'displayName'), // where the mapping starts, after the schema line
        message: "missing required key 'alias'",
        hint: "Add 'alias:' at the top level.",
      },
    ]);
    expect(result.parsed.kql?.watchlists).toStrictEqual(['ipsum']);
  });

  describe('files refused before reading (content.problems)', () => {
    const refused = (file: string): Diagnostic => ({
      code: 'file.outside-repository',
      severity: 'error',
      file,
      line: 1,
      column: 1,
      message: 'refused',
    });
    const overrides = positionOf(fixture.workspaces, '        rule:', 8);

    it("a refused rule file is reported, and its overrides in workspaces.yaml are not checked (not 'no such rule')", () => {
      const problem = refused('rules/rule.yaml');
      expect(validateContent(content({ rules: [], problems: [problem] })).diagnostics).toStrictEqual([
        problem,
        {
          code: 'workspaces.rule-unreadable',
          severity: 'warning',
          file: 'workspaces.yaml',
          ...overrides,
          message: 'rule rule could not be read, so its overrides here are not checked',
          hint: 'Fix the errors reported in its rule file; these overrides are checked again once it reads.',
        },
      ]);
    });

    it('a refused file outside rules/ is no rule: the override names no rule', () => {
      const problem = refused('rule.yaml');
      expect(validateContent(content({ rules: [], problems: [problem] })).diagnostics.map((d) => [d.file, d.code])).toStrictEqual([
        ['rule.yaml', 'file.outside-repository'],
        ['workspaces.yaml', 'workspaces.unknown-rule'],
      ]);
    });
  });

  it('the strict ASCII policy (workspaces.yaml validation.asciiQueries: strict) makes non-ASCII query text an error, and nothing else', () => {
    const rule = replaceOnce(
      fixture.rule.replace(/^# yaml-language-server.*\n/, ''),
      "  | where ActionType == 'InboundConnectionAccepted'\n",
      "  | where ActionType == 'InboundConnectionAccepted' // conexión\n",
    );
    const workspaces = replaceOnce(fixture.workspaces, 'environments:', 'validation:\n  asciiQueries: strict\nenvironments:');
    const found = validateContent(
      content({ rules: [{ path: 'rules/rule.yaml', text: rule }], workspaces: { path: 'workspaces.yaml', text: workspaces } }),
    );
    expect(found.diagnostics.map((d) => [d.code, d.severity])).toStrictEqual([
      ['yaml.schema-comment', 'warning'],
      ['rule.query-ascii', 'error'],
    ]);
  });
});
