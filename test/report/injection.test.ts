// Output that cannot be hijacked: names, service messages and feed lines from outside carry line
// breaks, escape sequences and markdown, and no report lets them act — no `::warning` workflow command
// starts a line of text output, no heading, image, link or @mention appears in the markdown, and the
// Defender hunting artifact keeps the name inside its comment. Names and descriptions with control
// characters are refused at validation; rule files are named by slugs.
import { describe, expect, it } from 'vitest';
import type { DeployReport, PlanReport } from '../../scripts/core/plan/results.ts';
import type { Change } from '../../scripts/core/plan/types.ts';
import type { SyncResult } from '../../scripts/core/sync/result.ts';
import { huntingArtifacts } from '../../scripts/core/hunting/artifacts.ts';
import { renderDeploy } from '../../scripts/report/deploy.ts';
import { renderValidation } from '../../scripts/report/diagnostics.ts';
import { renderPlanMarkdown } from '../../scripts/report/plan-markdown.ts';
import { renderPlanText } from '../../scripts/report/plan-text.ts';
import { PLAIN } from '../../scripts/report/style.ts';
import { renderSync } from '../../scripts/report/sync-text.ts';
import { fixture, positionOf, replaceOnce, repoTables, validateFiles } from '../support/content.ts';
import { validateContent } from '../../scripts/core/validate/validate.ts';
import { loadTableSchemas } from '../../scripts/io/tables.ts';
import { fileURLToPath } from 'node:url';

/** What an attacker puts in a live rule's display name or a service message. */
const EVIL =
  'Harmless name\n::warning file=x::pwned\r\n## Heading\n![x](https://evil.example/p.png) [click](https://evil.example) @org/team \u001b[2J\u202ereversed';

const change = (over: Partial<Change>): Change => ({ type: 'alertRule', id: 'gone', action: 'delete', mark: 'delete', ...over });
const plan: PlanReport = {
  environment: 'prod',
  repository: 'org/repo',
  files: 1,
  diagnostics: [],
  workspaces: [
    {
      name: 'ws',
      changes: [
        change({ displayName: EVIL }),
        change({
          id: 'a',
          action: 'update',
          mark: 'noop',
          file: 'rules/a.yaml',
          changedFields: [
            { field: 'displayName', old: EVIL, new: 'New' },
            { field: 'description', old: `line one\n${EVIL}`, new: 'line one' },
          ],
        }),
      ],
    },
    { name: 'ws-2', changes: [], error: { message: `LIST alertRules failed: HTTP 400 ${EVIL}`, hint: EVIL } },
  ],
};

/** No line of a text output starts (after blanks) with `::`, none holds an escape or a bidi override. */
function expectInertText(text: string): void {
  for (const line of text.split('\n')) {
    expect(line.trimStart().startsWith('::'), line).toBe(false);
    expect(line).not.toMatch(/[\u001b\r\u202e]/);
  }
}

/** No heading, image, link, raw HTML or @mention comes from EVIL into a markdown output (fenced code is inert). */
function expectInertMarkdown(withCode: string): void {
  expectInertText(withCode);
  const md = withCode.replace(/^(`{3,})diff\n[\s\S]*?\n\1$/gm, '');
  for (const line of md.split('\n')) if (line.includes('Heading')) expect(line.trimStart().startsWith('#'), line).toBe(false);
  expect(md).not.toContain('![');
  expect(md).not.toContain('](https://evil');
  expect(md).not.toMatch(/@org/);
  expect(md).not.toContain('<b>|</b>');
}

describe('text reports show control characters, never act on them', () => {
  it('plan text', () => {
    const text = renderPlanText(plan, PLAIN);
    expectInertText(text);
    expect(text).toContain('Harmless name\\n::warning file=x::pwned\\r\\n## Heading');
  });

  it('deploy text and markdown', () => {
    const deploy: DeployReport = {
      environment: 'prod',
      repository: 'org/repo',
      files: 1,
      dryRun: false,
      prune: true,
      diagnostics: [],
      workspaces: [
        {
          name: 'ws',
          status: 'failed',
          writes: 0,
          changes: [{ ...change({ displayName: EVIL }), result: 'failed', writes: 0, error: { message: EVIL, hint: EVIL } }],
        },
      ],
    };
    expectInertText(renderDeploy(deploy, 'text', PLAIN));
    expectInertMarkdown(renderDeploy(deploy, 'markdown', PLAIN));
  });

  it('validate text and GitHub annotations', () => {
    const report = {
      files: 1,
      diagnostics: [{ code: 'kql.KS142', severity: 'error' as const, file: 'rules/a.yaml', line: 1, column: 1, message: EVIL, hint: EVIL }],
    };
    expectInertText(renderValidation(report, 'text', PLAIN));
    expectInertText(renderValidation(report, 'github', PLAIN).split('\n').slice(1).join('\n'));
  });

  it('sync text and markdown: feed lines and service messages', () => {
    const result: SyncResult = {
      alias: 'ipsum',
      environment: 'prod',
      dryRun: false,
      durationMs: 1,
      feed: {
        source: 'https://feed.example/ipsum.txt',
        fetched: 'body',
        conditional: false,
        problems: [`line 9: not an address ("${EVIL}")`],
      },
      workspaces: [
        {
          name: 'ws',
          status: 'failed',
          added: 0,
          removed: 0,
          updated: 0,
          duplicatesRemoved: 0,
          unchanged: 0,
          writes: 0,
          itemWrites: 0,
          watchlistWrites: 0,
          uploads: 0,
          changes: 0,
          failed: 1,
          failures: [{ kind: 'add', ip: '1.2.3.4', id: 'i', message: EVIL }],
          durationMs: 1,
          warnings: [EVIL],
          message: EVIL,
          hint: EVIL,
        },
      ],
    };
    expectInertText(renderSync(result, 'text', PLAIN));
    expectInertMarkdown(renderSync(result, 'markdown', PLAIN));
  });
});

describe('markdown: names are escaped where they are interpolated', () => {
  it('the PR comment (also the drift issue body)', () => {
    const md = renderPlanMarkdown(plan);
    expectInertMarkdown(md);
    expect(md).toContain('@&#8203;org/team');
    expect(md).toContain('&#91;click&#93;(https://evil.example)');
  });
});

describe('names and descriptions refuse control characters; rule files are slugs', () => {
  it.each([
    [
      'a line break in a rule name',
      'rule',
      'name: Fixture rule reading the ipsum watchlist',
      'name: "Fixture rule\\n::warning::x"',
      'name',
      '\\n',
    ],
    [
      'an escape in a rule description',
      'rule',
      'description: A small, valid rule that the validation tests mutate one defect at a time.',
      'description: "Text \\e[2J more"',
      'description',
      '\\u001b',
    ],
    [
      'a bidi override in a watchlist display name',
      'watchlist',
      'displayName: IPsum fixture',
      'displayName: "IPsum \\u202E fixture"',
      'displayName',
      '\\u202e',
    ],
  ] as const)('%s → schema.control-character at the character', (_, target, from, to, key, shown) => {
    const text = replaceOnce(fixture[target], from, to);
    const files =
      target === 'rule'
        ? { rules: { rule: text }, watchlists: { ipsum: fixture.watchlist }, workspaces: fixture.workspaces }
        : { rules: { rule: fixture.rule }, watchlists: { ipsum: text }, workspaces: fixture.workspaces };
    const found = validateFiles(files).diagnostics.filter((d) => d.code === 'schema.control-character');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'error', line: positionOf(text, `${key}:`).line });
    expect(found[0]!.message).toContain(`contains the control character ${shown}`);
    expect(found[0]!.message).not.toMatch(/[\n\u001b\u202e]/);
  });

  it('a multi-line description with tabs is fine', () => {
    const text = replaceOnce(
      fixture.rule,
      'description: A small, valid rule that the validation tests mutate one defect at a time.',
      'description: "First line.\\n\\tIndented with a tab."',
    );
    expect(
      validateFiles({ rules: { rule: text }, watchlists: { ipsum: fixture.watchlist }, workspaces: fixture.workspaces }).diagnostics.map(
        (d) => d.code,
      ),
    ).not.toContain('schema.control-character');
  });

  it.each([
    ['rules/My Rule.yaml', 'rules/my-rule.yaml'],
    ['rules/network/Inbound_Scan.yaml', 'rules/network/inbound-scan.yaml'],
    ['rules/Network/scan.yaml', 'rules/network/scan.yaml'],
    ['rules/scan.YAML', 'rules/scan.yaml'],
  ])('%s → rule.file-name, suggesting %s', (path, suggestion) => {
    const result = validateContent({
      rules: [{ path, text: fixture.rule }],
      watchlists: [{ path: 'watchlists/ipsum.yaml', text: fixture.watchlist }],
      tables: repoTables(),
    });
    const found = result.diagnostics.filter((d) => d.code === 'rule.file-name');
    expect(found).toEqual([expect.objectContaining({ file: path, line: 1, column: 1, severity: 'error' })]);
    expect(found[0]!.hint).toContain(`Rename it to ${suggestion}`);
  });

  it('slugs at any depth are fine', () => {
    const result = validateContent({
      rules: [{ path: 'rules/network/inbound-scan-2.yaml', text: fixture.rule }],
      watchlists: [{ path: 'watchlists/ipsum.yaml', text: fixture.watchlist }],
      tables: repoTables(),
    });
    expect(result.diagnostics.map((d) => d.code)).not.toContain('rule.file-name');
  });
});

describe('the Defender hunting artifact keeps the name in its comment', () => {
  it('a name with a line break and a let stays one comment line', () => {
    // Validation refuses such a name; the artifact must not depend on it.
    const rule = replaceOnce(
      replaceOnce(fixture.rule, 'name: Fixture rule reading the ipsum watchlist', 'name: "Fixture\\nlet Injected = 1;"'),
      'version: 1.0.0',
      'version: 1.0.0\nhunting:\n  defender: true',
    );
    const parsed = validateFiles({ rules: { rule }, watchlists: { ipsum: fixture.watchlist } }).parsed;
    const defenderTables = () => loadTableSchemas(fileURLToPath(new URL('../../schemas/tables/defender/', import.meta.url)));
    const { files } = huntingArtifacts({ parsed, sentinelTables: repoTables(), defenderTables });
    const text = files.get('hunting/rule.defender.kql');
    expect(text).toBeDefined();
    expect(text!.split('\n')[0]).toBe('// Fixture\\nlet Injected = 1;');
    expect(text!.split('\n').filter((line) => line.startsWith('let Injected'))).toEqual([]);
  });
});
