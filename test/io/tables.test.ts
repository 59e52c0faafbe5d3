import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../scripts/core/errors.ts';
import { KQL_TYPES } from '../../scripts/core/kql/types.ts';
import { loadTableSchemas } from '../../scripts/io/tables.ts';

const schemas = fileURLToPath(new URL('../../schemas/', import.meta.url));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tables-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const write = (name: string, value: unknown): void => {
  writeFileSync(join(dir, name), typeof value === 'string' ? value : JSON.stringify(value));
};

describe('loadTableSchemas', () => {
  it('reads <dir>/*.json sorted by table name, ignoring other files and subdirectories', () => {
    write('Zed.json', {
      $schema: '../table.schema.json',
      name: 'Zed',
      source: 'test',
      columns: [{ name: 'TimeGenerated', type: 'datetime' }],
    });
    write('Alpha.json', {
      name: 'Alpha',
      description: 'first',
      columns: [
        { name: 'B', type: 'long' },
        { name: 'A', type: 'dynamic' },
      ],
    });
    write('README.md', '# not a table');
    mkdirSync(join(dir, 'defender'));
    writeFileSync(join(dir, 'defender', 'Other.json'), '{ broken');
    expect(loadTableSchemas(dir)).toEqual([
      {
        name: 'Alpha',
        description: 'first',
        columns: [
          { name: 'B', type: 'long' },
          { name: 'A', type: 'dynamic' },
        ],
      },
      { name: 'Zed', columns: [{ name: 'TimeGenerated', type: 'datetime' }] },
    ]);
  });

  const bad: { what: string; file: string; content: unknown; message: RegExp }[] = [
    { what: 'broken JSON', file: 'T.json', content: '{ "name": "T", ', message: /not valid JSON/ },
    { what: 'not an object', file: 'T.json', content: [], message: /expected a JSON object/ },
    {
      what: 'an unknown key',
      file: 'T.json',
      content: { name: 'T', colums: [], columns: [{ name: 'A', type: 'string' }] },
      message: /unknown key "colums"/,
    },
    {
      what: 'a file named after another table',
      file: 'T.json',
      content: { name: 'U', columns: [{ name: 'A', type: 'string' }] },
      message: /must be named U\.json/,
    },
    { what: 'no columns', file: 'T.json', content: { name: 'T', columns: [] }, message: /"columns" must be a non-empty array/ },
    {
      what: 'a type that is not Kusto',
      file: 'T.json',
      content: { name: 'T', columns: [{ name: 'A', type: 'boolean' }] },
      message: /columns\[0\] \(A\): type "boolean" is not a Kusto scalar type/,
    },
    {
      what: 'a duplicate column',
      file: 'T.json',
      content: {
        name: 'T',
        columns: [
          { name: 'A', type: 'string' },
          { name: 'A', type: 'int' },
        ],
      },
      message: /columns\[1\]: column "A" is declared twice/,
    },
    {
      what: 'a column key typo',
      file: 'T.json',
      content: { name: 'T', columns: [{ name: 'A', typ: 'string' }] },
      message: /columns\[0\]: unknown key "typ"/,
    },
  ];
  it.each(bad)('$what → ConfigError naming the file', ({ file, content, message }) => {
    write('Good.json', { name: 'Good', columns: [{ name: 'A', type: 'string' }] });
    write(file, content);
    let error: unknown;
    try {
      loadTableSchemas(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.file).toBe(join(dir, file));
    expect(configError.message).toContain(join(dir, file));
    expect(configError.message).toMatch(message);
    expect(configError.hint).toBeTruthy();
  });

  it('reports a missing folder as ConfigError', () => {
    expect(() => loadTableSchemas(join(dir, 'absent'))).toThrow(ConfigError);
  });
});

describe("the repo's table schemas", () => {
  it('load, with the tables the detection reads', () => {
    const tables = loadTableSchemas(join(schemas, 'tables'));
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['DeviceInfo', 'DeviceNetworkEvents', 'Watchlist']));
    const deviceInfo = new Map(tables.find((t) => t.name === 'DeviceInfo')!.columns.map((c) => [c.name, c.type]));
    expect([deviceInfo.get('TimeGenerated'), deviceInfo.get('AdditionalFields'), deviceInfo.get('IsInternetFacing')]).toEqual([
      'datetime',
      'dynamic',
      'bool',
    ]);
  });

  it('have a Defender advanced-hunting variant: Timestamp, AdditionalFields a string', () => {
    const tables = loadTableSchemas(join(schemas, 'tables', 'defender'));
    expect(tables.map((t) => t.name)).toEqual(['DeviceInfo', 'DeviceNetworkEvents']);
    for (const table of tables) {
      const columns = new Map(table.columns.map((c) => [c.name, c.type]));
      expect([columns.get('Timestamp'), columns.get('TimeGenerated'), columns.get('AdditionalFields')]).toEqual([
        'datetime',
        undefined,
        'string',
      ]);
    }
  });

  it("table.schema.json's type list is the analyzer's", () => {
    const schema = JSON.parse(readFileSync(join(schemas, 'table.schema.json'), 'utf8')) as {
      properties: { columns: { items: { properties: { type: { enum: string[] } } } } };
    };
    expect(schema.properties.columns.items.properties.type.enum).toEqual([...KQL_TYPES]);
  });
});
