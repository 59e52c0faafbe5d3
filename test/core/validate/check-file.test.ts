// checkFile (layers a-c for one file) around its layers: a file too large to read, the editor schema
// line with a path that resolves from the file, the spelling pass for rules only; and the small
// exported helpers slugOf and watchlistSchema.
import { describe, expect, it } from 'vitest';
import { checkFile, slugOf, watchlistSchema } from '../../../scripts/core/validate/validate.ts';
import { parseYaml } from '../../../scripts/core/yaml/document.ts';

const W =
  'alias: ipsum\ndisplayName: IPsum\ndescription: d\nprovider: p\nitemsSearchKey: IPAddress\ncolumns:\n  - name: IPAddress\n    type: string\n';
const schemaLine = (path: string, line: string) => ({
  code: 'yaml.schema-comment',
  severity: 'warning',
  file: path,
  line: 1,
  column: 1,
  message: 'the file does not start with the yaml-language-server schema line',
  hint: `Make the first line: # yaml-language-server: $schema=${line}`,
});

describe('checkFile', () => {
  it('a file too large is not parsed: one error, no document', () => {
    expect(checkFile({ path: 'watchlists/w.yaml', text: '', tooLargeBytes: 2_000_000 }, 'watchlist')).toStrictEqual({
      diagnostics: [
        {
          code: 'file.too-large',
          severity: 'error',
          file: 'watchlists/w.yaml',
          line: 1,
          column: 1,
          message: '2,000,000 bytes: a content file is at most 1,048,576 bytes (1 MiB); it was not read',
          hint: 'A rule, watchlist definition or workspaces.yaml is a few kilobytes: remove what does not belong in it, or split it into several files.',
        },
      ],
    });
  });

  it('the schema line: any path ending in the schema is fine; else the path from the file to the root is named', () => {
    const line = (path: string, rootFromFile?: string) =>
      checkFile({ path, text: W, ...(rootFromFile === undefined ? {} : { rootFromFile }) }, 'watchlist').diagnostics;
    expect(
      checkFile({ path: 'watchlists/w.yaml', text: `# yaml-language-server: $schema=x/schemas/watchlist.schema.json\n${W}` }, 'watchlist')
        .diagnostics,
    ).toStrictEqual([]);
    expect(line('watchlists/w.yaml')).toStrictEqual([schemaLine('watchlists/w.yaml', '../schemas/watchlist.schema.json')]);
    expect(line('watchlists/a/b/w.yaml')).toStrictEqual([schemaLine('watchlists/a/b/w.yaml', '../../../schemas/watchlist.schema.json')]);
    expect(line('w.yaml')).toStrictEqual([schemaLine('w.yaml', './schemas/watchlist.schema.json')]);
    expect(line('w.yaml', '')).toStrictEqual([schemaLine('w.yaml', './schemas/watchlist.schema.json')]);
    expect(line('w.yaml', '.')).toStrictEqual([schemaLine('w.yaml', './schemas/watchlist.schema.json')]);
    expect(line('w.yaml', '../../repo//')).toStrictEqual([schemaLine('w.yaml', '../../repo/schemas/watchlist.schema.json')]);
    // the schema of another kind does not count
    expect(
      checkFile({ path: 'watchlists/w.yaml', text: `# yaml-language-server: $schema=../schemas/rule.schema.json\n${W}` }, 'watchlist')
        .diagnostics,
    ).toStrictEqual([schemaLine('watchlists/w.yaml', '../schemas/watchlist.schema.json')]);
  });

  it('empty keys are read as absent in rules only: in a watchlist an empty value stays a schema error', () => {
    const text = `# yaml-language-server: $schema=../schemas/watchlist.schema.json\n${W}labels:\n`;
    expect(checkFile({ path: 'watchlists/w.yaml', text }, 'watchlist').diagnostics).toStrictEqual([
      {
        code: 'schema.type',
        severity: 'error',
        message: 'labels must be an array, not null (an empty value)',
        file: 'watchlists/w.yaml',
        line: 10,
        column: 1,
      },
    ]);
  });
});

describe('slugOf', () => {
  it.each([
    ['rules/network/ipsum.yaml', 'network/ipsum'],
    ['rules/a.yml', 'a'],
    ['rules/a.YAML', 'a'],
    ['drafts/rules/a.yaml', 'drafts/rules/a'],
    ['rules/a.yaml.bak', 'a.yaml.bak'],
  ])('%s → %s', (path, slug) => {
    expect(slugOf(path)).toBe(slug);
  });
});

describe('watchlistSchema', () => {
  const schema = (text: string) => {
    const parsed = parseYaml('watchlists/w.yaml', text);
    if (!parsed.ok) throw new Error('fixture does not parse');
    return watchlistSchema(parsed.document);
  };

  it('the alias and the columns with a name and a type; others left out', () => {
    expect(
      schema('alias: ipsum\ncolumns:\n  - {name: IP, type: string}\n  - {name: S}\n  - {type: int}\n  - 7\n  - {name: N, type: 5}\n'),
    ).toStrictEqual({
      alias: 'ipsum',
      columns: [{ name: 'IP', type: 'string' }],
    });
    expect(schema('alias: ipsum\n')).toStrictEqual({ alias: 'ipsum', columns: [] });
  });

  it('no alias, no schema', () => {
    expect(schema('columns: []\n')).toBeUndefined();
    expect(schema('alias: ""\n')).toBeUndefined();
  });
});
