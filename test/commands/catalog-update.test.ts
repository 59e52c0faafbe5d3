// catalog-update end to end in a temporary repository: writes the catalog, reports changes, and refuses
// an update that loses many tables (leaving the committed files as they were).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalogUpdateCommand } from '../../scripts/commands/catalog-update.ts';
import { UsageError } from '../../scripts/core/errors.ts';
import { renderCatalogUpdate } from '../../scripts/report/catalog.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'catalog-'));
  mkdirSync(join(root, 'schemas', 'catalog'), { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A table snapshot with tables T01…Tnn, each with TimeGenerated and one more column. */
function snapshot(file: string, count: number, extra = 'Value:string'): string {
  const [name, type] = extra.split(':') as [string, string];
  const rows = ['"table_name","column_name","column_type","description"'];
  for (let i = 1; i <= count; i++) {
    const table = `T${String(i).padStart(2, '0')}`;
    rows.push(`"${table}","TimeGenerated","datetime",""`, `"${table}","${name}","${type}",""`);
  }
  writeFileSync(join(root, file), `${rows.join('\n')}\n`);
  return file;
}
const read = (name: string) => readFileSync(join(root, 'schemas', 'catalog', name), 'utf8');

describe('catalogUpdateCommand', () => {
  it('writes tables.txt and functions.txt and reports the changes; a second run with the same sources changes nothing', async () => {
    const first = await catalogUpdateCommand({ root, files: [snapshot('a.csv', 3)] });
    expect(first.written).toEqual(['schemas/catalog/tables.txt', 'schemas/catalog/functions.txt']);
    expect(first.changes[0]).toBe('tables: 3 added: T01, T02, T03');
    expect(read('tables.txt')).toContain('T02\tTimeGenerated:t Value:s\n');
    const again = await catalogUpdateCommand({ root, files: ['a.csv'] });
    expect(again.changes).toEqual(['no change']);
    expect(renderCatalogUpdate(again)).toMatch(/^catalog: 3 tables, 6 columns, 0 functions\n[\s\S]*\n {2}no change\nwrote /);
  });

  it('prints column changes table by table', async () => {
    await catalogUpdateCommand({ root, files: [snapshot('a.csv', 2)] });
    const result = await catalogUpdateCommand({ root, files: [snapshot('b.csv', 2, 'Value:long')] });
    expect(result.changes).toContain('tables: 2 with changed columns');
    expect(result.changes).toContain('  T01: Value: string → long');
  });

  it('refuses an update that drops more than 10 tables, writing nothing, unless --allow-drops', async () => {
    await catalogUpdateCommand({ root, files: [snapshot('full.csv', 30)] });
    const before = read('tables.txt');
    const refused = await catalogUpdateCommand({ root, files: [snapshot('partial.csv', 15)] });
    expect(refused.refused).toMatch(/^the update drops 15 tables \(more than 10\); schemas\/catalog is unchanged\./);
    expect(refused.written).toEqual([]);
    expect(read('tables.txt')).toBe(before);
    expect(renderCatalogUpdate(refused)).toContain('REFUSED: the update drops 15 tables');
    const allowed = await catalogUpdateCommand({ root, files: ['partial.csv'], allowDrops: true });
    expect(allowed.refused).toBeUndefined();
    expect(read('tables.txt')).not.toBe(before);
  });

  it('is a usage error without a table source or with a missing file', async () => {
    await expect(catalogUpdateCommand({ root, files: [] })).rejects.toBeInstanceOf(UsageError);
    await expect(catalogUpdateCommand({ root, files: ['absent.csv'] })).rejects.toThrow(/absent\.csv: no such file/);
    writeFileSync(join(root, 'p.csv'), '"parser_name","parser_title","tables"\n"X","x",""\n');
    await expect(catalogUpdateCommand({ root, files: ['p.csv'] })).rejects.toThrow(/no table source/);
  });
});

describe('catalogUpdateCommand with sources of one kind', () => {
  it('keeps the committed functions when only table snapshots are given, and says so', async () => {
    writeFileSync(join(root, 'parsers.csv'), '"parser_name","parser_title","tables"\n"OktaSSO","Okta","Okta_CL"\n');
    await catalogUpdateCommand({ root, files: [snapshot('a.csv', 2), 'parsers.csv'] });
    const functions = read('functions.txt');
    const result = await catalogUpdateCommand({ root, files: [snapshot('b.csv', 3)] });
    expect(result.fixes).toContain('no function source given: the committed 1 functions are kept');
    expect(result.changes).toContain('functions: 0 dropped');
    expect(read('functions.txt')).toBe(functions);
  });
});
