// The catalog at run time: lazy lookups, the overlay, and the committed catalog itself.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../scripts/core/errors.ts';
import { catalogProvider } from '../../../scripts/core/catalog/catalog.ts';
import { applyOverlay, parseOverlay } from '../../../scripts/core/catalog/overlay.ts';
import { indexTables } from '../../../scripts/core/catalog/format.ts';
import { loadCatalog, readCatalogTexts } from '../../../scripts/io/catalog.ts';
import { repoRoot } from '../../support/content.ts';

const texts = {
  tables: '# comment\nAlpha\tTimeGenerated:t Count:l\nDeviceThing\tTimeGenerated:t Flag:s\n',
  functions:
    'schema\tDns\tDnsQuery:s EventCount:i\nfunction\t_Im_Dns\tDns\t(starttime:datetime=datetime(null))\t+named\nfunction\tOktaSSO\t-\t-\n',
  overlay:
    '# header\nDeviceThing  Timestamp:datetime   # streamed with Timestamp\nDeviceThing Flag:bool # the docs say string; it is bool\n',
};

describe('catalogProvider', () => {
  it('answers tables with the overlay applied, functions with their schema columns, and nothing else', () => {
    const catalog = catalogProvider(texts);
    expect(catalog.table('Alpha')).toEqual({
      name: 'Alpha',
      columns: [
        { name: 'TimeGenerated', type: 'datetime' },
        { name: 'Count', type: 'long' },
      ],
    });
    expect(catalog.table('DeviceThing')?.columns).toEqual([
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'Flag', type: 'bool' },
      { name: 'Timestamp', type: 'datetime' },
    ]);
    expect(catalog.table('alpha')).toBeUndefined();
    expect(catalog.function('_Im_Dns')).toEqual({
      name: '_Im_Dns',
      origin: 'ASIM Dns parser',
      parameters: '(starttime:datetime=datetime(null))',
      moreNamed: true,
      columns: [
        { name: 'DnsQuery', type: 'string' },
        { name: 'EventCount', type: 'int' },
      ],
    });
    expect(catalog.function('OktaSSO')).toEqual({ name: 'OktaSSO', origin: 'Sentinel solution parser' });
    expect(catalog.function('Alpha')).toBeUndefined();
    expect(catalog.tableNames()).toEqual(['Alpha', 'DeviceThing']);
  });

  it('parses nothing until asked (a malformed catalog fails only when read)', () => {
    const catalog = catalogProvider({ tables: 'Broken\tColumn:x\n', functions: '', overlay: '' });
    expect(() => catalog.table('Broken')).toThrow(new Error('catalog: malformed column "Column:x"'));
  });
});

describe('overlay', () => {
  it('needs a reason on every line, and names the line of a mistake', () => {
    expect(() => parseOverlay('T A:string\n')).toThrow(
      new Error(
        'schemas/catalog/overlay.txt:1: expected "<Table> <Column>:<type>   # reason" (or "* <Column>:<type>", "<Table> open"), got "T A:string"',
      ),
    );
    expect(() => parseOverlay('# ok\nT A:text # why\n')).toThrow(
      new Error('schemas/catalog/overlay.txt:2: text is not a Kusto scalar type'),
    );
    expect(() => parseOverlay('T A:string # a\nT A:int # b\n')).toThrow(
      new Error('schemas/catalog/overlay.txt:2: T.A is already in the overlay'),
    );
  });
  it('adds standard columns to every table that lacks them, never retyping, and opens a table', () => {
    const overlay = parseOverlay('* TenantId:string # standard\n* Count:string # never retypes\nWide open # resource columns\n');
    expect(applyOverlay([{ name: 'Count', type: 'long' }], overlay.get('Wide'), overlay.get('*'))).toEqual({
      columns: [
        { name: 'Count', type: 'long' },
        { name: 'TenantId', type: 'string' },
      ],
      open: true,
    });
    expect(() => parseOverlay('* open # no\n')).toThrow(
      new Error('schemas/catalog/overlay.txt:1: "open" applies to one table, not to every table'),
    );
  });

  it('adds columns and retypes existing ones', () => {
    const facts = parseOverlay('T A:int # retype\nT B:string # add\n').get('T');
    expect(applyOverlay([{ name: 'A', type: 'string' }], facts)).toEqual({
      columns: [
        { name: 'A', type: 'int' },
        { name: 'B', type: 'string' },
      ],
      open: false,
    });
  });
});

describe('the committed catalog (schemas/catalog/)', () => {
  const committed = readCatalogTexts(repoRoot);
  const tables = indexTables(committed.tables);

  it('has every standard table (~920) with the tables real rules read', () => {
    expect(tables.size).toBeGreaterThan(900);
    for (const name of [
      'SecurityEvent',
      'SigninLogs',
      'CommonSecurityLog',
      'AWSCloudTrail',
      'OfficeActivity',
      'AuditLogs',
      'DeviceProcessEvents',
      'ThreatIntelligenceIndicator',
      'Syslog',
      'DeviceInfo',
      'IdentityInfo',
    ]) {
      expect(tables.has(name), name).toBe(true);
    }
  });

  it('gives the Defender XDR tables their Timestamp through the overlay, and every overlay line names a catalog table', () => {
    const catalog = loadCatalog(repoRoot);
    expect(catalog.table('DeviceProcessEvents')?.columns).toContainEqual({ name: 'Timestamp', type: 'datetime' });
    // The reference data lists AzureDiagnostics without the standard TimeGenerated column.
    expect(catalog.table('AzureDiagnostics')?.columns).toContainEqual({ name: 'TimeGenerated', type: 'datetime' });
    for (const table of parseOverlay(committed.overlay).keys()) if (table !== '*') expect(tables.has(table), table).toBe(true);
  });

  it('declares the ASIM functions in their four spellings, and solution parsers', () => {
    const catalog = loadCatalog(repoRoot);
    for (const name of [
      'imAuthentication',
      '_Im_Authentication',
      'ASimAuthentication',
      '_ASim_Authentication',
      '_Im_NetworkSession',
      '_ASim_Dns',
      'imFileEvent',
    ]) {
      expect(catalog.function(name)?.columns?.length, name).toBeGreaterThan(50);
    }
    expect(catalog.function('OktaSSO')).toEqual({ name: 'OktaSSO', origin: 'Sentinel solution parser' });
  });

  it('is plain text in the documented format (one table per line, provenance in comments)', () => {
    expect(committed.tables).toMatch(/^# source tables la_table_schemas\.\d{4}-\d{2}-\d{2}\.csv rows=\d+ sha256=[0-9a-f]{64}$/m);
    expect(
      readFileSync(`${repoRoot}schemas/catalog/tables.txt`, 'utf8')
        .split('\n')
        .filter((l) => l && !l.startsWith('#')).length,
    ).toBe(tables.size);
  });
});

describe('reading the catalog', () => {
  it('refuses a catalog file whose link leads outside the repository, unread', async () => {
    const { mkdtempSync, mkdirSync, symlinkSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const base = mkdtempSync(join(tmpdir(), 'catalog-link-'));
    try {
      const repo = join(base, 'repo');
      mkdirSync(join(repo, 'schemas', 'catalog'), { recursive: true });
      writeFileSync(join(base, 'secret.txt'), 'Secret\tPassword:s\n');
      symlinkSync(join(base, 'secret.txt'), join(repo, 'schemas', 'catalog', 'tables.txt'));
      const file = join(repo, 'schemas', 'catalog', 'tables.txt');
      expect(() => readCatalogTexts(repo)).toThrow(
        new ConfigError(
          `${file} is a symbolic link that leads outside the repository: not read`,
          file,
          'The catalog must live in the repository: restore schemas/catalog/ from git, or remove the link.',
        ),
      );
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
