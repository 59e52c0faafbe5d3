// The version lock end to end, in a throwaway git repository made from the repository's content:
// validate (with and without --base) and the lock command.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { lockCommand } from '../../scripts/commands/lock.ts';
import { validateCommand } from '../../scripts/commands/validate.ts';
import type { Diagnostic } from '../../scripts/core/diagnostics.ts';
import { allFieldsRule, copyRepoContent } from '../support/build.ts';
import { positionOf, replaceOnce } from '../support/content.ts';

const DETECTION = 'rules/ipsum-inbound-internet-facing.yaml';
const OTHER = 'rules/many-connections.yaml';
const OTHER_ID = '6f1c2b0e-3d4a-4e5f-9a8b-7c6d5e4f3a2b';
const DETECTION_ID = '0209ac04-d70a-45f2-a58d-d69d06d783d5';
const roots: string[] = [];
let root = '';

const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const write = (path: string, text: string) => writeFileSync(join(root, path), text);
const edit = (path: string, from: string, to: string) => write(path, replaceOnce(read(path), from, to));
const codes = (diagnostics: Diagnostic[]) =>
  diagnostics.filter((d) => d.code.startsWith('lock.')).map((d) => `${d.severity} ${d.code} ${d.file}:${d.line}`);
const validate = async (base?: string) => (await validateCommand({ root, paths: [], ...(base ? { base } : {}) })).diagnostics;

/** A repository whose main commit has the detection rule and a second rule, locked. */
beforeEach(async () => {
  root = copyRepoContent();
  roots.push(root);
  rmSync(join(root, 'rules/rules.lock.json'), { force: true });
  write(OTHER, allFieldsRule.replace('../../../schemas', '../schemas'));
  const locked = await lockCommand({ root });
  expect(locked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  git('init', '-q', '-b', 'main');
  git('-c', 'user.email=t@example.invalid', '-c', 'user.name=t', 'add', '.');
  git('-c', 'user.email=t@example.invalid', '-c', 'user.name=t', 'commit', '-q', '-m', 'base');
});
afterAll(() => {
  for (const dir of roots) rmSync(dir, { recursive: true, force: true });
});

describe('version lock', () => {
  it('a locked repository validates clean; `lock` again changes nothing (deterministic)', async () => {
    expect(codes(await validate('main'))).toEqual([]);
    const before = read('rules/rules.lock.json');
    const again = await lockCommand({ root });
    expect([again.written, again.unchanged, read('rules/rules.lock.json')]).toEqual([false, 2, before]);
    expect(JSON.parse(before).rules[OTHER_ID]).toMatchObject({
      file: OTHER,
      version: '2.1.0',
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('content changed without a version bump: error at the version line with the exact fix; lock refuses too', async () => {
    edit(DETECTION, 'triggerThreshold: 0', 'triggerThreshold: 1');
    const [d] = (await validate()).filter((x) => x.code.startsWith('lock.'));
    expect(d).toMatchObject({
      code: 'lock.version-not-bumped',
      severity: 'error',
      file: DETECTION,
      line: positionOf(read(DETECTION), 'version: 1.1.0').line,
    });
    expect(d!.hint).toBe('Bump version to 1.1.1 and run `npm run cli -- lock`.');
    const refused = await lockCommand({ root });
    expect([refused.written, codes(refused.diagnostics)]).toEqual([false, [`error lock.version-not-bumped ${DETECTION}:${d!.line}`]]);
  });

  it('version bumped with the content: lock.stale until `lock` runs, then clean', async () => {
    edit(DETECTION, 'triggerThreshold: 0', 'triggerThreshold: 1');
    edit(DETECTION, 'version: 1.1.0', 'version: 1.1.1');
    expect(codes(await validate())).toEqual([`error lock.stale ${DETECTION}:${positionOf(read(DETECTION), 'version: 1.1.1').line}`]);
    const locked = await lockCommand({ root });
    expect([locked.written, locked.updated]).toEqual([true, [DETECTION_ID]]);
    expect(codes(await validate('main'))).toEqual([]);
  });

  it('version bumped without a content change is allowed (a warning until the lock records it)', async () => {
    edit(OTHER, 'version: 2.1.0', 'version: 2.2.0');
    const diagnostics = await validate('main');
    expect(codes(diagnostics)).toEqual([`warning lock.stale ${OTHER}:${positionOf(read(OTHER), 'version: 2.2.0').line}`]);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('a version that goes down is refused', async () => {
    edit(OTHER, 'version: 2.1.0', 'version: 2.0.9');
    expect(codes(await validate())).toEqual([`error lock.version-not-bumped ${OTHER}:${positionOf(read(OTHER), 'version: 2.0.9').line}`]);
  });

  it('a new rule without a lock entry: lock.missing at its id', async () => {
    write(
      'rules/new-rule.yaml',
      allFieldsRule.replace(OTHER_ID, '7a7a7a7a-1111-4222-8333-944444444444').replace(/^name: .*$/m, 'name: New rule'),
    );
    expect(codes(await validate())).toEqual(['error lock.missing rules/new-rule.yaml:3']);
  });

  it('--base: an id changed in the same file', async () => {
    edit(OTHER, `id: ${OTHER_ID}`, 'id: 7a7a7a7a-1111-4222-8333-944444444444');
    await lockCommand({ root, retireReason: 'test' });
    const diagnostics = await validate('main');
    expect(codes(diagnostics)).toContain(`error lock.id-changed ${OTHER}:3`);
    expect(diagnostics.find((d) => d.code === 'lock.id-changed')!.hint).toContain(`Restore id: ${OTHER_ID}`);
  });

  it('--base: an id reused by another rule while its rule still exists', async () => {
    write('rules/copy.yaml', read(OTHER).replace(/^name: .*$/m, 'name: A copy'));
    edit(OTHER, `id: ${OTHER_ID}`, 'id: 7a7a7a7a-1111-4222-8333-944444444444');
    const diagnostics = await validate('main');
    expect(codes(diagnostics)).toEqual(
      expect.arrayContaining([`error lock.id-changed ${OTHER}:3`, 'error lock.id-reused rules/copy.yaml:3']),
    );
  });

  it('a renamed file (same id) is not a reuse: only the lock needs updating', async () => {
    renameSync(join(root, OTHER), join(root, 'rules/renamed.yaml'));
    expect(codes(await validate('main'))).toEqual(['error lock.stale rules/renamed.yaml:3']);
    await lockCommand({ root });
    expect(codes(await validate('main'))).toEqual([]);
  });

  it('a deleted rule must be retired; a retired id is never reused', async () => {
    rmSync(join(root, OTHER));
    const entryLine = positionOf(read('rules/rules.lock.json'), `"${OTHER_ID}"`).line;
    expect(codes(await validate('main'))).toEqual([`error lock.deleted-not-retired rules/rules.lock.json:${entryLine}`]);
    await expect(lockCommand({ root })).rejects.toThrow(/--retire-reason/);
    const locked = await lockCommand({ root, retireReason: 'superseded by the IPsum rule' });
    expect(locked.retired).toEqual([OTHER_ID]);
    expect(JSON.parse(read('rules/rules.lock.json')).retired).toEqual([
      { id: OTHER_ID, file: OTHER, reason: 'superseded by the IPsum rule' },
    ]);
    expect(codes(await validate('main'))).toEqual([]);

    write('rules/reborn.yaml', allFieldsRule.replace(/^name: .*$/m, 'name: Reborn'));
    expect(codes(await validate())).toEqual(['error lock.id-reused rules/reborn.yaml:3']);
    // Committed, the base revision's lock retires the id too: the reuse is still reported once.
    git('-c', 'user.email=t@example.invalid', '-c', 'user.name=t', 'add', '-A');
    git('-c', 'user.email=t@example.invalid', '-c', 'user.name=t', 'commit', '-q', '-m', 'retire');
    expect(codes(await validate('HEAD'))).toEqual(['error lock.id-reused rules/reborn.yaml:3']);
  });

  it('--base: a deleted rule is caught even when its lock entry was deleted too', async () => {
    rmSync(join(root, OTHER));
    const lock = JSON.parse(read('rules/rules.lock.json'));
    delete lock.rules[OTHER_ID];
    write('rules/rules.lock.json', `${JSON.stringify(lock, null, 2)}\n`);
    expect(codes(await validate())).toEqual([]);
    expect(codes(await validate('main'))).toEqual(['error lock.deleted-not-retired rules/rules.lock.json:1']);
  });

  it('--base reads rules in sub-folders of the base revision: a nested rule deleted with its lock entry is caught', async () => {
    mkdirSync(join(root, 'rules/a/b/c'), { recursive: true });
    renameSync(join(root, OTHER), join(root, 'rules/a/b/c/other.yaml'));
    edit('rules/a/b/c/other.yaml', '../schemas/', '../../../../schemas/');
    expect((await lockCommand({ root })).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(JSON.parse(read('rules/rules.lock.json')).rules[OTHER_ID].file).toBe('rules/a/b/c/other.yaml');
    git('-c', 'user.email=t@example.invalid', '-c', 'user.name=t', 'add', '-A');
    git('-c', 'user.email=t@example.invalid', '-c', 'user.name=t', 'commit', '-q', '-m', 'nested');
    rmSync(join(root, 'rules/a'), { recursive: true });
    const lock = JSON.parse(read('rules/rules.lock.json'));
    delete lock.rules[OTHER_ID];
    write('rules/rules.lock.json', `${JSON.stringify(lock, null, 2)}\n`);
    expect(codes(await validate('HEAD'))).toEqual(['error lock.deleted-not-retired rules/rules.lock.json:1']);
  });

  it('no lock file: nothing to check, unless the base revision has one (deleting it is caught)', async () => {
    rmSync(join(root, 'rules/rules.lock.json'));
    expect(codes(await validate())).toEqual([]);
    expect(codes(await validate('main'))).toEqual(['error lock.missing rules/rules.lock.json:1']);
  });

  it('--base with an unknown revision is a usage error', async () => {
    await expect(validate('no-such-branch')).rejects.toThrow(/no such git revision/);
  });
});
