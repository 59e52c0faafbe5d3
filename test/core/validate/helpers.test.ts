// The validate layers' small helpers: paths as messages name them, the per-file limits, the workspace
// entries every layer walks, and the Reporter's positions.
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../scripts/core/diagnostics.ts';
import { capPerFile, MAX_DIAGNOSTICS_PER_FILE, tooLargeDiagnostic } from '../../../scripts/core/validate/limits.ts';
import { describePath } from '../../../scripts/core/validate/paths.ts';
import { Reporter } from '../../../scripts/core/validate/report.ts';
import { workspaceEntries } from '../../../scripts/core/validate/workspace-entries.ts';
import { parseYaml, type YamlDocument } from '../../../scripts/core/yaml/document.ts';

function doc(file: string, text: string): YamlDocument {
  const parsed = parseYaml(file, text);
  if (!parsed.ok) throw new Error('fixture does not parse');
  return parsed.document;
}

describe('describePath', () => {
  it.each([
    [[], ''],
    [['query'], 'query'],
    [['entityMappings', 0, 'fieldMappings', 12, 'columnName'], 'entityMappings[0].fieldMappings[12].columnName'],
    [[0, 'a'], '[0].a'],
    [['x1', '1x', 'a'], 'x1.1x.a'],
  ])('%j → %s', (path, text) => {
    expect(describePath(path)).toBe(text);
  });
});

describe('tooLargeDiagnostic', () => {
  it('names the size, the limit and what to do', () => {
    expect(tooLargeDiagnostic('rules/big.yaml', 2_000_000)).toStrictEqual({
      code: 'file.too-large',
      severity: 'error',
      file: 'rules/big.yaml',
      line: 1,
      column: 1,
      message: '2,000,000 bytes: a content file is at most 1,048,576 bytes (1 MiB); it was not read',
      hint: 'A rule, watchlist definition or workspaces.yaml is a few kilobytes: remove what does not belong in it, or split it into several files.',
    });
  });
});

describe('capPerFile', () => {
  const at = (file: string, line: number, severity: Diagnostic['severity'] = 'warning'): Diagnostic => ({
    code: 'x',
    severity,
    message: `m${line}`,
    file,
    line,
    column: 2,
  });
  const many = (file: string, n: number, severity: Diagnostic['severity'] = 'warning') =>
    Array.from({ length: n }, (_, i) => at(file, i + 1, severity));

  it('keeps exactly the limit per file untouched', () => {
    const ds = [...many('a.yaml', MAX_DIAGNOSTICS_PER_FILE), at('b.yaml', 1)];
    expect(capPerFile(ds)).toStrictEqual(ds);
  });

  it('sums up the rest of each file at its last kept position: a warning when none left out was an error', () => {
    const a = many('a.yaml', MAX_DIAGNOSTICS_PER_FILE + 3);
    const b = [...many('b.yaml', MAX_DIAGNOSTICS_PER_FILE + 1), at('b.yaml', 500, 'error'), at('b.yaml', 501, 'error')];
    const out = capPerFile([...a, ...b]);
    expect(out).toHaveLength(2 * MAX_DIAGNOSTICS_PER_FILE + 2);
    expect(out.slice(0, MAX_DIAGNOSTICS_PER_FILE)).toStrictEqual(a.slice(0, MAX_DIAGNOSTICS_PER_FILE));
    expect(out.slice(MAX_DIAGNOSTICS_PER_FILE, 2 * MAX_DIAGNOSTICS_PER_FILE)).toStrictEqual(b.slice(0, MAX_DIAGNOSTICS_PER_FILE));
    const hint = 'Fix the ones shown first: many problems in one file usually share one cause (a wrong indentation, a pasted block).';
    expect(out.slice(2 * MAX_DIAGNOSTICS_PER_FILE)).toStrictEqual([
      {
        code: 'file.too-many-diagnostics',
        severity: 'warning',
        file: 'a.yaml',
        line: 101,
        column: 2,
        message: '3 more diagnostics in this file (0 errors) are not shown; only the first 100 are',
        hint,
      },
      {
        code: 'file.too-many-diagnostics',
        severity: 'error',
        file: 'b.yaml',
        line: 101,
        column: 2,
        message: '3 more diagnostics in this file (2 errors) are not shown; only the first 100 are',
        hint,
      },
    ]);
  });
});

describe('workspaceEntries', () => {
  it('every mapping entry of every environment with its index and path; other entries skipped, indexes kept', () => {
    const ws = doc('workspaces.yaml', 'environments:\n  dev:\n    - name: a\n    - 7\n    - {workspace: w}\n  prod: nope\n');
    expect(workspaceEntries(ws)).toStrictEqual([
      { env: 'dev', index: 0, ws: { name: 'a' }, name: 'a', path: ['environments', 'dev', 0] },
      { env: 'dev', index: 2, ws: { workspace: 'w' }, name: undefined, path: ['environments', 'dev', 2] },
    ]);
  });

  it('no file or no environments: no entries', () => {
    expect(workspaceEntries(undefined)).toStrictEqual([]);
    expect(workspaceEntries(doc('workspaces.yaml', 'other: 1\n'))).toStrictEqual([]);
  });
});

describe('Reporter', () => {
  const text = 'name: R\nquery: |\n  T\n  | take 1\n';

  it('errors and warnings point at the value unless asked for the key; a hint only when given', () => {
    const r = new Reporter(doc('rules/r.yaml', text));
    r.error(['name'], 'c.one', 'first');
    r.warning(['name'], 'c.two', 'second', 'do this', 'key');
    r.warning(['name'], 'c.three', 'third');
    expect(r.diagnostics).toStrictEqual([
      { code: 'c.one', severity: 'error', message: 'first', file: 'rules/r.yaml', line: 1, column: 7 },
      { code: 'c.two', severity: 'warning', message: 'second', file: 'rules/r.yaml', line: 1, column: 1, hint: 'do this' },
      { code: 'c.three', severity: 'warning', message: 'third', file: 'rules/r.yaml', line: 1, column: 7 },
    ]);
  });

  it('inString points inside the string, with a hint only when given', () => {
    const r = new Reporter(doc('rules/r.yaml', text));
    r.inString('error', ['query'], 4, 'kql.x', 'inside');
    r.inString('warning', ['query'], 0, 'kql.y', 'start', 'fix');
    expect(r.diagnostics).toStrictEqual([
      { code: 'kql.x', severity: 'error', message: 'inside', file: 'rules/r.yaml', line: 4, column: 5 },
      { code: 'kql.y', severity: 'warning', message: 'start', file: 'rules/r.yaml', line: 3, column: 3, hint: 'fix' },
    ]);
  });
});
