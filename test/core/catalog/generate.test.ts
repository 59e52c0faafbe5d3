// The catalog generator on small CSV fixtures written here (the real sources are not in the repository).
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../scripts/core/catalog/csv.ts';
import { diffCatalog, renderChanges } from '../../../scripts/core/catalog/diff.ts';
import { parseCatalog, renderFunctions, renderTables } from '../../../scripts/core/catalog/format.ts';
import { generateCatalog } from '../../../scripts/core/catalog/sources.ts';

const csv = (rows: string[][]): string => rows.map((r) => r.map((f) => `"${f.replace(/"/g, '""')}"`).join(',')).join('\r\n') + '\r\n';
const TABLES_HEADER = ['table_name', 'column_name', 'column_type', 'description'];

export const older = csv([
  TABLES_HEADER,
  ['OnlyOld', 'TimeGenerated', 'datetime', 'dropped by the newer snapshot'],
  ['Shared', 'Old', 'string', 'replaced as a whole by the newer snapshot'],
  ['IdentityInfo', 'Timestamp*', 'datetime', 'footnote marker'],
  ['IdentityInfo', 'Roles(Preview)***', 'dynamic', 'preview marker'],
  ['IdentityInfo', 'Flag', 'nullable bool', ''],
]);
export const newer = csv([
  TABLES_HEADER,
  ['Shared', 'TimeGenerated', 'datetime', 'a "quoted" description, with a comma\nand a newline'],
  ['Shared', 'Size', 'Double', ''],
  ['Shared', 'Id', 'Guid', ''],
  ['Shared', 'Big', 'BigInt', ''],
  ['Shared', 'Ok', 'boolean', ''],
  ['Shared', 'Kind', 'enum', ''],
  ['Shared', 'Name', 'String', ''],
  ['Shared', 'Name', 'string', 'duplicate: the first is kept'],
  ['Shared', 'abc', 'def', 'junk'],
  ['Shared', '...', '...', 'junk'],
  ['Shared', 'Stacktrace', 'string', 'case-distinct columns are distinct'],
  ['Shared', 'StackTrace', 'string', ''],
]);
const asimFields = csv([
  ['schema', 'schema_type', 'field_name', 'field_class', 'physical_type', 'aliased_field'],
  ['Common', 'common', 'TimeGenerated', 'Mandatory', 'datetime', ''],
  ['Common', 'common', 'EventCount', 'Mandatory', 'int', ''],
  ['Dns', 'event', 'DnsQuery', 'Mandatory', 'string', ''],
  ['Dns', 'event', 'Domain', 'Alias', '', 'DnsQuery'],
  ['Dns', 'event', 'EventCount', 'Mandatory', 'long', ''],
  ['Dns', 'event', 'DnsNetworkDuration', 'Optional', 'int', ''],
  ['Dns', 'event', 'Duration', 'Alias', '', 'DnsNetworkDuration'],
]);
const asimParsers = csv([
  ['parser_name', 'equivalent_builtin', 'filtering_parser_name', 'filtering_equivalent_builtin', 'schema', 'parser_type', 'parser_params'],
  ['ASimDns', '_ASim_Dns', 'imDns', '_Im_Dns', 'Dns', 'union', 'pack:bool=False'],
  ['ASimDnsInfoblox', '_ASim_Dns_Infoblox', '', '', 'Dns', 'source', 'disabled:bool=False;pack:bool=False'],
  ['ASimNoFields', '_ASim_NoFields', '', '', 'Missing', 'source', ''],
]);
const parsers = csv([
  ['parser_name', 'parser_title', 'tables'],
  ['OktaSSO', 'Okta', 'Okta_CL'],
  ['McAfee Common Security Log Parser', 'no function name', 'CommonSecurityLog'],
  ['ASimDns', 'also ASIM', ''],
  ['Shared', 'named like a table', ''],
]);

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes, newlines and CRLF row ends', () => {
    expect(parseCsv('a,"b, ""c""\nd"\r\ne,\n')).toEqual([
      ['a', 'b, "c"\nd'],
      ['e', ''],
    ]);
  });
  it('refuses a file that ends inside a quoted field', () => {
    expect(() => parseCsv('a,"b\n')).toThrow(new Error('the CSV ends inside a quoted field (a missing closing quote)'));
  });
});

describe('generateCatalog', () => {
  const { data, fixes } = generateCatalog([
    { file: 'la.old.csv', text: older },
    { file: 'la.new.csv', text: newer },
    { file: 'asim_fields.csv', text: asimFields },
    { file: 'asim_parsers.csv', text: asimParsers },
    { file: 'parsers.csv', text: parsers },
  ]);
  const table = (name: string) => data.tables.find((t) => t.name === name)?.columns.map((c) => `${c.name}:${c.type}`);

  it('unions the table snapshots, the later file winning table by table', () => {
    expect(data.tables.map((t) => t.name)).toEqual(['IdentityInfo', 'OnlyOld', 'Shared']);
    expect(table('Shared')).toEqual([
      'TimeGenerated:datetime',
      'Size:real',
      'Id:guid',
      'Big:long',
      'Ok:bool',
      'Kind:string',
      'Name:string',
      'Stacktrace:string',
      'StackTrace:string',
    ]);
  });

  it('normalises type spellings and footnote markers, keeps the first of duplicate columns, drops junk rows, and says so', () => {
    expect(table('IdentityInfo')).toEqual(['Timestamp:datetime', 'Roles:dynamic', 'Flag:bool']);
    expect(fixes).toContainEqual(expect.stringMatching(/^duplicate column, first kept: 1 \(Shared\.Name\)$/));
    expect(fixes).toContainEqual(expect.stringMatching(/^row with an unknown type, dropped: 1 \(Shared\.abc \("def"\)\)$/));
    expect(fixes).toContainEqual(expect.stringMatching(/^row with an invalid column name, dropped: 1/));
    expect(fixes).toContainEqual(expect.stringMatching(/^footnote marker removed from a column name: 2/));
    expect(fixes).toContainEqual('type spelling normalised: Double → real: 1 (Shared.Size)');
    expect(fixes).toContainEqual('table replaced by a later source: 1 (Shared)');
  });

  it('types ASIM functions from their schema (with the Common fields, aliases typed as their target)', () => {
    expect(data.schemas.map((s) => s.name)).toEqual(['Dns']);
    expect(data.schemas[0]!.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'DnsQuery:string',
      'Domain:string',
      'EventCount:long',
      'DnsNetworkDuration:int',
      'Duration:int',
      'TimeGenerated:datetime',
    ]);
    const fn = (name: string) => data.functions.find((f) => f.name === name);
    expect(fn('_ASim_Dns')).toEqual({ name: '_ASim_Dns', schema: 'Dns', parameters: '(pack:bool=false)' });
    expect(fn('imDns')).toEqual({
      name: 'imDns',
      schema: 'Dns',
      parameters: '(starttime:datetime=datetime(null), endtime:datetime=datetime(null), pack:bool=false)',
      moreNamed: true,
    });
    expect(fn('_Im_Dns')?.moreNamed).toBe(true);
    expect(fn('ASimDnsInfoblox')?.parameters).toBe('(disabled:bool=false, pack:bool=false)');
    expect(fn('ASimNoFields')).toBeUndefined();
  });

  it('declares solution parsers with unknown result columns; ASIM and table names win', () => {
    expect(data.functions.find((f) => f.name === 'OktaSSO')).toEqual({ name: 'OktaSSO' });
    expect(data.functions.find((f) => f.name === 'ASimDns')?.schema).toBe('Dns');
    expect(data.functions.some((f) => f.name === 'Shared' || f.name.includes(' '))).toBe(false);
  });

  it('records each source with its hash, and renders files that parse back to the same data', () => {
    expect(data.sources.map((s) => [s.file, s.kind, s.rows])).toEqual([
      ['la.old.csv', 'tables', 5],
      ['la.new.csv', 'tables', 12],
      ['asim_fields.csv', 'asim-fields', 7],
      ['asim_parsers.csv', 'asim-parsers', 3],
      ['parsers.csv', 'parsers', 4],
    ]);
    const tables = renderTables(data);
    const functions = renderFunctions(data);
    expect(tables).toMatch(/^# source tables la\.new\.csv rows=12 sha256=[0-9a-f]{64}$/m);
    expect(tables).toContain('Shared\tTimeGenerated:t Size:r Id:g Big:l Ok:b Kind:s Name:s Stacktrace:s StackTrace:s\n');
    expect(functions).toContain(
      'function\timDns\tDns\t(starttime:datetime=datetime(null), endtime:datetime=datetime(null), pack:bool=false)\t+named\n',
    );
    expect(functions).toContain('function\tOktaSSO\t-\t-\n');
    const back = parseCatalog(tables, functions);
    expect(back.tables).toEqual(data.tables);
    expect(back.schemas).toEqual(data.schemas);
    expect(back.functions).toEqual(data.functions);
  });

  it('refuses a file that is not a catalog source, naming it', () => {
    expect(() => generateCatalog([{ file: 'other.csv', text: 'a,b\n1,2\n' }])).toThrow(
      new Error(
        'other.csv: not a catalog source (its header is a,b…); expected one of: tables (table_name,column_name,column_type); asim-fields (schema,field_name,physical_type,aliased_field); ' +
          'asim-parsers (parser_name,equivalent_builtin,filtering_parser_name,filtering_equivalent_builtin,schema,parser_params); parsers (parser_name,tables)',
      ),
    );
  });
});

describe('diffCatalog', () => {
  it('lists added, dropped and changed tables and functions', () => {
    const before = generateCatalog([
      { file: 'a.csv', text: older },
      { file: 'p.csv', text: parsers },
    ]).data;
    const after = generateCatalog([{ file: 'b.csv', text: newer }]).data;
    const changes = diffCatalog(before, after);
    expect(changes.droppedTables).toEqual(['IdentityInfo', 'OnlyOld']);
    expect(changes.addedTables).toEqual([]);
    expect(changes.changedTables).toEqual([
      {
        name: 'Shared',
        changes: [
          '+TimeGenerated:datetime',
          '+Size:real',
          '+Id:guid',
          '+Big:long',
          '+Ok:bool',
          '+Kind:string',
          '+Name:string',
          '+Stacktrace:string',
          '+StackTrace:string',
          '-Old',
        ],
      },
    ]);
    expect(changes.droppedFunctions).toEqual(['ASimDns', 'OktaSSO']);
    expect(renderChanges(changes)).toContain('tables: 2 dropped: IdentityInfo, OnlyOld');
  });
});
