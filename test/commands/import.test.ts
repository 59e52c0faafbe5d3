// `import` on disk: rule files under rules/ (or --out), named after the display name; never an
// overwrite without --force; every input tried, refusals reported with the reason.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { importCommand } from '../../scripts/commands/import.ts';

const fixtures = fileURLToPath(new URL('../fixtures/import/', import.meta.url));
const roots: string[] = [];
afterAll(() => roots.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'sentinel-import-'));
  roots.push(root);
  cpSync(fixtures, join(root, 'exports'), { recursive: true });
  return root;
}

describe('import command', () => {
  it('writes one file per rule into rules/, reports refusals, and never overwrites without --force', async () => {
    const root = workspace();
    const result = await importCommand({
      root,
      files: ['exports/portal-several.json', 'exports/sentinel-nrt.yaml', 'exports/skip-fusion.json', 'exports/missing.json'],
    });
    expect(result.imported.map((r) => r.file)).toEqual([
      'rules/audit-key-vault-purge-nrt.yaml',
      'rules/rare-process-listening-on-a-high-port.yaml',
      'rules/nrt-privileged-role-assigned-outside-pim.yaml',
    ]);
    expect(result.refused.map((r) => r.reason)).toEqual(['exports/missing.json: no such file']);
    expect(result.skipped).toEqual([
      {
        where: 'exports/portal-several.json resources[1]',
        reason: 'Microsoft.OperationalInsights/workspaces/providers/alertRules/actions: not an alert rule',
      },
      { where: 'exports/skip-fusion.json resources[0]', reason: expect.stringMatching(/^Fusion rule: /) },
    ]);
    const written = readFileSync(join(root, 'rules/nrt-privileged-role-assigned-outside-pim.yaml'), 'utf8');
    expect(written.split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/rule.schema.json');

    writeFileSync(join(root, 'rules/nrt-privileged-role-assigned-outside-pim.yaml'), 'edited by hand\n');
    const again = await importCommand({ root, files: ['exports/sentinel-nrt.yaml'] });
    expect(again.imported).toEqual([]);
    expect(again.refused[0]).toMatchObject({
      reason: 'rules/nrt-privileged-role-assigned-outside-pim.yaml exists (rule 9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b)',
      hint: expect.stringContaining('--force'),
    });
    expect(readFileSync(join(root, 'rules/nrt-privileged-role-assigned-outside-pim.yaml'), 'utf8')).toBe('edited by hand\n');

    const forced = await importCommand({ root, files: ['exports/sentinel-nrt.yaml'], force: true });
    expect(forced.imported).toHaveLength(1);
    expect(readFileSync(join(root, 'rules/nrt-privileged-role-assigned-outside-pim.yaml'), 'utf8')).toBe(written);
  });

  it('--out writes elsewhere', async () => {
    const root = workspace();
    const result = await importCommand({ root, files: ['exports/portal-single.json'], out: 'incoming' });
    expect(result.imported.map((r) => r.file)).toEqual(['incoming/repeated-sign-in-failures-from-one-address.yaml']);
    expect(existsSync(join(root, 'rules'))).toBe(false);
  });

  it('finds the rules already in the repository at any depth by id: no second copy; --force rewrites that file where it is', async () => {
    const root = workspace();
    const first = await importCommand({ root, files: ['exports/portal-single.json'], out: 'rules/identity/entra' });
    expect(first.imported.map((r) => r.file)).toEqual(['rules/identity/entra/repeated-sign-in-failures-from-one-address.yaml']);
    const text = readFileSync(join(root, first.imported[0]!.file), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../../../schemas/rule.schema.json');

    const again = await importCommand({ root, files: ['exports/portal-single.json'] });
    expect(again.imported).toEqual([]);
    expect(again.refused).toEqual([
      {
        from: 'exports/portal-single.json',
        reason: `rule ${first.imported[0]!.id} is already in rules/identity/entra/repeated-sign-in-failures-from-one-address.yaml`,
        hint: expect.stringContaining('--force'),
      },
    ]);
    expect(existsSync(join(root, 'rules/repeated-sign-in-failures-from-one-address.yaml'))).toBe(false);

    writeFileSync(join(root, first.imported[0]!.file), text.replace('severity: Medium', 'severity: Low'));
    const forced = await importCommand({ root, files: ['exports/portal-single.json'], force: true });
    expect(forced.imported.map((r) => r.file)).toEqual(['rules/identity/entra/repeated-sign-in-failures-from-one-address.yaml']);
    expect(readFileSync(join(root, first.imported[0]!.file), 'utf8')).toBe(text);
    expect(existsSync(join(root, 'rules/repeated-sign-in-failures-from-one-address.yaml'))).toBe(false);
  });
});
