// .github/scripts/summary-table.mjs, run as the workflows run it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const script = join(import.meta.dirname, '..', '..', '.github', 'scripts', 'summary-table.mjs');
const dir = mkdtempSync(join(tmpdir(), 'summary-table-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function table(json: string | undefined, ...args: string[]): string {
  const file = join(dir, 'result.json');
  rmSync(file, { force: true });
  if (json !== undefined) writeFileSync(file, json);
  const result = spawnSync(process.execPath, [script, file, ...args], { encoding: 'utf8' });
  expect(result.status).toBe(0);
  return result.stdout;
}

describe('summary-table.mjs', () => {
  it('shows every column when none are named: nested keys, counts per action, list lengths, escaped pipes', () => {
    const json = JSON.stringify({ workspaces: [
      { name: 'a|b', budget: { used: 5, limit: 10 }, changes: [{ action: 'update' }, { action: 'create' }, { action: 'update' }], warnings: ['x', 'y'] },
      { name: 'c', extra: 'multi\nline' },
    ] });
    expect(table(json, 'Title')).toBe([
      '### Title', '',
      '| name | budget.used | budget.limit | changes | warnings | extra |',
      '| --- | --- | --- | --- | --- | --- |',
      '| a\\|b | 5 | 10 | create 1, update 2 | 2 |  |',
      '| c |  |  |  |  | multi line |', '',
    ].join('\n'));
  });

  it('keeps the named columns in their order', () => {
    expect(table('{"workspaces":[{"name":"w","writes":3,"status":"ok"}]}', 'T', 'status,name,missing')).toContain('| status | name | missing |\n| --- | --- | --- |\n| ok | w |  |\n');
  });

  it.each([
    [undefined, 'No result: the command stopped before writing one'],
    ['not json', 'No result: the command stopped before writing one'],
    ['{"workspaces":[]}', 'No workspace in this run.'],
  ])('%s → a sentence, not a table', (json, sentence) => {
    expect(table(json, 'T')).toBe(`### T\n\n${sentence}${sentence.endsWith('.') ? '' : '; see the job log.'}\n`);
  });
});
