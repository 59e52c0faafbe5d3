import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempRepo } from '../support/cli.ts';
import { fixture, positionOf, replaceOnce } from '../support/content.ts';

const clean = () =>
  tempRepo({ 'rules/rule.yaml': fixture.rule, 'watchlists/ipsum.yaml': fixture.watchlist, 'workspaces.yaml': fixture.workspaces });
const broken = replaceOnce(fixture.rule, 'columnName: DeviceName', 'columnName: devicename');

describe('validate (CLI)', () => {
  it('exits 0 on clean content with a one-line summary', async () => {
    const result = await cli(clean(), ['validate']);
    expect(result).toEqual({ code: 0, stdout: '3 files checked: 0 errors, 0 warnings\n', stderr: '' });
  });

  it('prints the json contract and exits 1 on a content error', async () => {
    const root = tempRepo({ 'rules/rule.yaml': broken, 'watchlists/ipsum.yaml': fixture.watchlist });
    const result = await cli(root, ['validate', '--format', 'json']);
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as { files: number; diagnostics: Record<string, unknown>[] };
    expect(json.files).toBe(2);
    expect(json.diagnostics).toHaveLength(1);
    expect(json.diagnostics[0]).toEqual({
      file: 'rules/rule.yaml',
      ...positionOf(broken, 'devicename'),
      severity: 'error',
      code: 'kql.column-case',
      message: "entity mapping Host names column 'devicename', but the query outputs 'DeviceName' (column names are case-sensitive)",
      hint: "Write 'DeviceName'.",
    });
  });

  it('prints GitHub annotations for inline PR comments', async () => {
    const root = tempRepo({ 'rules/rule.yaml': broken, 'watchlists/ipsum.yaml': fixture.watchlist });
    const { line, column } = positionOf(broken, 'devicename');
    const result = await cli(root, ['validate', '--format', 'github']);
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n')[0]).toBe(
      `::error file=rules/rule.yaml,line=${line},col=${column},title=kql.column-case::entity mapping Host names column 'devicename', but the query outputs 'DeviceName' (column names are case-sensitive)%0AWrite 'DeviceName'.`,
    );
  });

  it('prints content lints as warning annotations and exits 0', async () => {
    const linted = replaceOnce(
      fixture.rule,
      '  | where RemoteIP in (Listed)\n',
      '  | join kind=inner Listed on $left.RemoteIP == $right.ListedIP\n',
    );
    const root = tempRepo({ 'rules/rule.yaml': linted, 'watchlists/ipsum.yaml': fixture.watchlist });
    const { line, column } = positionOf(linted, 'join kind=inner');
    const result = await cli(root, ['validate', '--format', 'github']);
    expect(result.code).toBe(0);
    const [annotation, summary] = result.stdout.split('\n');
    expect(annotation).toMatch(
      new RegExp(
        `^::warning file=rules/rule\\.yaml,line=${line},col=${column},title=lint\\.join-unique::join \\(kind=inner\\) against _GetWatchlist\\('ipsum'\\)`,
      ),
    );
    expect(annotation).toContain('%0AKeep one row per key on that side before joining');
    expect(summary).toBe('2 files checked: 0 errors, 1 warning');
  });

  it('groups text output by file, without colour unless on a TTY', async () => {
    const root = tempRepo({ 'rules/rule.yaml': broken, 'watchlists/ipsum.yaml': fixture.watchlist });
    const plain = await cli(root, ['validate']);
    expect(plain.stdout).toMatch(/^rules\/rule\.yaml\n {2}\d+:\d+ {2}error {2}entity mapping Host/);
    expect(plain.stdout).not.toContain('\u001b[');
    const tty = await cli(root, ['validate'], { isTTY: true });
    expect(tty.stdout).toContain('\u001b[31merror\u001b[39m');
    const noColor = await cli(root, ['validate'], { isTTY: true, env: { NO_COLOR: '1' } });
    expect(noColor.stdout).not.toContain('\u001b[');
  });

  it('reports only the named files, with the rest of the repository as context', async () => {
    const other = replaceOnce(replaceOnce(fixture.rule, '6f1c2a57', '7f1c2a57'), 'name: Fixture rule', 'name: Other rule');
    const root = tempRepo({ 'rules/rule.yaml': broken, 'rules/other.yaml': other, 'watchlists/ipsum.yaml': fixture.watchlist });
    expect((await cli(root, ['validate'])).code).toBe(1);
    const result = await cli(root, ['validate', 'rules/other.yaml', '--format', 'json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ files: 1, diagnostics: [] });
  });

  it('a copy of a rule validated alone still collides with the rule it copies: the error lands on the copy (issue 10.15)', async () => {
    // The copy sorts before the original: the collision used to be reported on the original only.
    const copy = replaceOnce(fixture.rule, 'name: Fixture rule', 'name: Copied rule');
    const root = tempRepo({ 'rules/rule.yaml': fixture.rule, 'rules/aaa-copy.yaml': copy, 'watchlists/ipsum.yaml': fixture.watchlist });
    const outside = mkdtempSync(join(tmpdir(), 'sentinel-review-'));
    try {
      const line = positionOf(fixture.rule, 'id:').line;
      for (const [path, shown] of [
        ['rules/aaa-copy.yaml', 'rules/aaa-copy.yaml'],
        ['rules/rule.yaml', 'rules/rule.yaml'],
      ]) {
        const result = await cli(root, ['validate', path!, '--format', 'json']);
        expect(result.code).toBe(1);
        const other = shown === 'rules/rule.yaml' ? 'rules/aaa-copy.yaml' : 'rules/rule.yaml';
        expect(
          (JSON.parse(result.stdout) as { diagnostics: { file: string; code: string; message: string }[] }).diagnostics.map((d) => [
            d.file,
            d.code,
            d.message,
          ]),
        ).toStrictEqual([
          [shown, 'collection.duplicate-id', `rule id '6f1c2a57-0b8e-4a43-9d6e-2c1f0e5b7a10' is also used by ${other}:${line}`],
        ]);
      }
      // A rule under review outside the repository is checked against the whole repository too.
      writeFileSync(join(outside, 'review.yaml'), replaceOnce(fixture.rule, 'name: Fixture rule', 'name: Rule under review'));
      const result = await cli(root, ['validate', join(outside, 'review.yaml'), '--format', 'json']);
      expect(result.code).toBe(1);
      expect((JSON.parse(result.stdout) as { diagnostics: { code: string }[] }).diagnostics.map((d) => d.code)).toStrictEqual([
        'collection.duplicate-id',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it.each([
    [['validate', '--format', 'xml'], /argument 'xml' is invalid/],
    [['validate', '--nope'], /unknown option '--nope'/],
    [['validate', 'rules/missing.yaml'], /rules\/missing.yaml: no such file or directory/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('usage error %j exits 2 and says what is wrong', async (args, message) => {
    const result = await cli(clean(), args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });
});
