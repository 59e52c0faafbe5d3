// Nothing is read from outside the repository: bootstrap CSVs stay inside it (no `..`, no absolute
// path, no symbolic link out), fit one upload, match the definition; content files and table schemas
// whose links lead outside are refused unread, so nothing of theirs reaches any output.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, tempRepo } from '../support/cli.ts';
import { fixture, replaceOnce } from '../support/content.ts';

const SECRET = 'OUTSIDE-SECRET-5b1e0c';
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A folder outside the repository with a file a link may point at. */
function outside(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-outside-'));
  dirs.push(dir);
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

function repo(files: Record<string, string> = {}): string {
  const root = tempRepo({
    'rules/rule.yaml': fixture.rule,
    'watchlists/ipsum.yaml': fixture.watchlist,
    'workspaces.yaml': fixture.workspaces,
    ...files,
  });
  dirs.push(root);
  return root;
}

const seeded = (path: string) => `${fixture.watchlist.replace('alias: ipsum', 'alias: seeded')}bootstrapCsv: ${path}\n`;

async function diagnostics(
  root: string,
): Promise<{ code: number; all: string; list: { file: string; line: number; column: number; code: string; message: string }[] }> {
  const result = await cli(root, ['validate', '--format', 'json']);
  return {
    code: result.code,
    all: result.stdout + result.stderr,
    list: (JSON.parse(result.stdout) as { diagnostics: never[] }).diagnostics,
  };
}

describe('bootstrapCsv is confined to the repository and checked like an upload', () => {
  it.each([
    ['a path climbing out', () => '../../../../../../../../etc/passwd', 'climbs out of its folder with ..'],
    ['an absolute path', () => outside('seed.csv', `IPAddress,Score\n${SECRET},4\n`), 'is an absolute path'],
  ])('%s → watchlist.bootstrap-path, the file never read', async (_, target, why) => {
    const root = repo({ 'watchlists/seeded.yaml': seeded(target()) });
    const { code, all, list } = await diagnostics(root);
    expect(code).toBe(1);
    expect(list.map((d) => [d.file, d.code])).toEqual([['watchlists/seeded.yaml', 'watchlist.bootstrap-path']]);
    expect(list[0]!.message).toContain(why);
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain('root:');
  });

  it('a link inside the repository that leads outside → watchlist.bootstrap-path; deploy would not upload it either', async () => {
    const root = repo({ 'watchlists/seeded.yaml': seeded('watchlists/seed.csv') });
    symlinkSync(outside('seed.csv', `IPAddress,Score\n${SECRET},4\n`), join(root, 'watchlists', 'seed.csv'));
    const { list, all } = await diagnostics(root);
    expect(list.map((d) => d.code)).toEqual(['watchlist.bootstrap-path']);
    expect(list[0]!.message).toContain('leads outside the repository');
    expect(all).not.toContain(SECRET);
  });

  it('a link to another file of the repository is fine', async () => {
    const root = repo({ 'watchlists/seeded.yaml': seeded('watchlists/seed.csv'), 'data/seed.csv': 'IPAddress,Score\n198.51.100.7,6\n' });
    symlinkSync(join(root, 'data', 'seed.csv'), join(root, 'watchlists', 'seed.csv'));
    expect((await diagnostics(root)).list).toEqual([]);
  });

  it('header, row shape and formula cells are reported at their place in the CSV', async () => {
    const csv = 'IPAddress,Scores\n198.51.100.7\n=HYPERLINK("http://x"),4\n"@SUM(A1)",+7\n203.0.113.9,-5\n';
    const root = repo({ 'watchlists/seeded.yaml': seeded('./watchlists/seed.csv'), 'watchlists/seed.csv': csv });
    const { list } = await diagnostics(root);
    expect(list.map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`)).toEqual([
      'watchlists/seed.csv:1:1 watchlist.bootstrap-header',
      'watchlists/seed.csv:2:1 watchlist.bootstrap-csv',
      'watchlists/seed.csv:3:1 watchlist.formula-cell',
      'watchlists/seed.csv:4:1 watchlist.formula-cell',
    ]);
    expect(list[0]!.message).toBe('the header row is "IPAddress,Scores", the definition\'s columns are "IPAddress,Score"');
    expect(list[2]!.message).toContain('the cell "=HYPERLINK(\\"http://x\\")" starts with "=": spreadsheet programs run it as a formula');
  });

  it("a file above the service's 3.8 MB upload limit → watchlist.bootstrap-size (not read)", async () => {
    const root = repo({ 'watchlists/seeded.yaml': seeded('watchlists/seed.csv') });
    const row = '198.51.100.7,6\n';
    writeFileSync(join(root, 'watchlists', 'seed.csv'), `IPAddress,Score\n${row.repeat(Math.ceil(3_800_001 / row.length))}`);
    const { list } = await diagnostics(root);
    expect(list.map((d) => [d.file, d.code])).toEqual([['watchlists/seeded.yaml', 'watchlist.bootstrap-size']]);
  });
});

describe('content and schema files whose links lead outside the repository are refused unread', () => {
  const rule = replaceOnce(fixture.rule, 'severity: Low', `severity: Low\n${SECRET}: leaked`);

  it('rules/ and watchlists/: file.link-outside, also when named on the command line; nothing of theirs is printed', async () => {
    const root = repo();
    symlinkSync(outside('rule.yaml', rule), join(root, 'rules', 'linked.yaml'));
    symlinkSync(outside('w.yaml', `${SECRET}: 1\n`), join(root, 'watchlists', 'linked.yaml'));
    const { code, all, list } = await diagnostics(root);
    expect(code).toBe(1);
    expect(list.map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`)).toEqual([
      'rules/linked.yaml:1:1 file.link-outside',
      'watchlists/linked.yaml:1:1 file.link-outside',
    ]);
    expect(all).not.toContain(SECRET);
    for (const args of [['validate', 'rules/linked.yaml'], ['validate', 'rules'], ['build']]) {
      const result = await cli(root, args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stdout + result.stderr).not.toContain(SECRET);
    }
  });

  it('a linked folder is refused as a whole, never walked', async () => {
    const root = repo();
    rmSync(join(root, 'rules'), { recursive: true });
    const elsewhere = outside('rule.yaml', rule);
    symlinkSync(join(elsewhere, '..'), join(root, 'rules'));
    const { all, list } = await diagnostics(root);
    expect(list.filter((d) => d.file === 'rules').map((d) => d.code)).toEqual(['file.link-outside']);
    expect(all).not.toContain(SECRET);
  });

  it('schemas/tables and the lock file: exit 1 with a message naming the file, content not read', async () => {
    const root = repo();
    symlinkSync(outside('Evil.json', `{"name": "${SECRET}"}`), join(root, 'schemas', 'tables', 'Evil.json'));
    const tables = await cli(root, ['validate']);
    expect(tables.code).toBe(1);
    expect(tables.stderr).toContain('Evil.json is a symbolic link that leads outside the repository: not read');
    expect(tables.stdout + tables.stderr).not.toContain(SECRET);

    const root2 = repo();
    mkdirSync(join(root2, 'rules'), { recursive: true });
    symlinkSync(relative(join(root2, 'rules'), outside('lock.json', `${SECRET} not json`)), join(root2, 'rules', 'rules.lock.json'));
    const lock = await cli(root2, ['validate']);
    expect(lock.code).toBe(1);
    expect(lock.stderr).toContain('rules/rules.lock.json is a symbolic link that leads outside the repository');
    expect(lock.stdout + lock.stderr).not.toContain(SECRET);
  });
});
