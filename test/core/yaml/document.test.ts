import { describe, expect, it } from 'vitest';
import { parseYaml, type YamlDocument } from '../../../scripts/core/yaml/document.ts';

function parse(text: string): YamlDocument {
  const result = parseYaml('f.yaml', text);
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  return result.document;
}

describe('parseYaml', () => {
  it.each([
    ['duplicate key', 'a: 1\nb: 2\na: 3\n', 'yaml.duplicate-key', 3, 1],
    ['custom tag', 'a: !!binary aGk=\n', 'yaml.tag', 1, 4],
    ['alias', 'a: &x 1\nb: *x\n', 'yaml.alias', 2, 5],
    ['bad indentation', 'a:\n  b: 1\n c: 2\n', 'yaml.syntax', 3, 2],
    ['two documents', 'a: 1\n---\nb: 2\n', 'yaml.document-count', 1, 1],
    ['a list at the top', '- a\n- b\n', 'yaml.not-a-mapping', 1, 1],
  ])('%s → %s at %i:%i', (_name, text, code, line, column) => {
    const result = parseYaml('f.yaml', text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ code, file: 'f.yaml', line, column, severity: 'error' });
    expect(result.diagnostics[0]!.hint).toBeTruthy();
  });

  it('keeps YAML 1.2 core types: dates and yes/no stay strings', () => {
    expect(parse('d: 2024-01-01\ny: yes\nn: 0x10\n').value).toEqual({ d: '2024-01-01', y: 'yes', n: 16 });
  });
});

describe('YamlDocument.locate', () => {
  it('points an empty value at its key', () => {
    const empty = parse('a: 1\nmetadata:\nb: 2\n');
    expect(empty.locate('/metadata')).toEqual({ line: 2, column: 1 });
  });

  const doc = parse('# comment\nid: abc\nlist:\n  - name: x\n    deep:\n      key: "quoted"\n');
  it.each([
    ['/id', 'key', 2, 1],
    ['/id', 'value', 2, 5],
    ['/list/0/name', 'value', 4, 11],
    ['/list/0/deep/key', 'key', 6, 7],
    ['/list/0/deep/key', 'value', 6, 12],
    ['/list/0/deep/missing', 'key', 5, 5],
    ['/nothing/here', 'value', 2, 1],
  ] as const)('%s (%s) → %i:%i', (pointer, where, line, column) => {
    expect(doc.locate(pointer, where)).toEqual({ line, column });
  });
});

describe('YamlDocument.locateInString', () => {
  it('maps an index in a literal block to the source line and column', () => {
    const text = 'q: |\n  let a = 1;\n    T | where x\nnext: 1\n';
    const doc = parse(text);
    const query = (doc.value as { q: string }).q;
    expect(doc.locateInString('/q', query.indexOf('where'))).toEqual({ line: 3, column: 9 });
    expect(doc.locateInString('/q', 0)).toEqual({ line: 2, column: 3 });
  });

  it('maps a literal block of a CRLF file (each \\r is not part of the value)', () => {
    const text = 'q: |\r\n  let a = 1;\r\n  T\r\n  | where x\r\nnext: 1\r\n';
    const doc = parse(text);
    const query = (doc.value as { q: string }).q;
    expect(query).toBe('let a = 1;\nT\n| where x\n');
    expect(doc.locateInString('/q', query.indexOf('x'))).toEqual({ line: 4, column: 11 });
  });

  it('maps inside a nested literal block', () => {
    const text = 'rules:\n  - query: |\n      A\n      | where B == 1\n';
    const doc = parse(text);
    const query = (doc.value as { rules: { query: string }[] }).rules[0]!.query;
    expect(doc.locateInString('/rules/0/query', query.indexOf('B'))).toEqual({ line: 4, column: 15 });
  });

  it.each([
    ['double-quoted with an escape', 'k: "a\\tb c"\n', 'c', { line: 1, column: 10 }],
    ['single-quoted with a doubled quote', "k: 'it''s x'\n", 'x', { line: 1, column: 11 }],
    ['folded block', 'k: >\n  one\n  two three\n', 'three', { line: 3, column: 7 }],
    ['plain multi-line', 'k: one\n  two\n', 'two', { line: 2, column: 3 }],
  ])('%s', (_name, text, needle, expected) => {
    const doc = parse(text);
    const value = (doc.value as { k: string }).k;
    expect(doc.locateInString('/k', value.indexOf(needle))).toEqual(expected);
  });
});
