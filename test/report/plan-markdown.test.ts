import { describe, expect, it } from 'vitest';
import type { PlanReport } from '../../scripts/core/plan/results.ts';
import type { Change } from '../../scripts/core/plan/types.ts';
import { PLAN_MARKER, renderPlanMarkdown } from '../../scripts/report/plan-markdown.ts';
import { progressReporter } from '../../scripts/report/progress.ts';

const report = (workspaces: PlanReport['workspaces']): PlanReport => ({
  environment: 'prod',
  repository: 'repo',
  files: 1,
  diagnostics: [],
  workspaces,
});
const update = (id: string, over: Partial<Change> = {}): Change => ({
  type: 'alertRule',
  id,
  action: 'update',
  mark: 'noop',
  file: `rules/${id}.yaml`,
  changedFields: [{ field: 'severity', old: 'Low', new: 'High' }],
  ...over,
});

describe('plan markdown', () => {
  it('says "no changes" when every workspace matches', () => {
    const md = renderPlanMarkdown(report([{ name: 'ws', changes: [{ type: 'alertRule', id: 'a', action: 'noop', mark: 'noop' }] }]));
    expect(md.startsWith(`${PLAN_MARKER}\n`)).toBe(true);
    expect(md).toContain('| ws | 0 | 0 | 0 | 1 | 0 |');
    expect(md).toContain('_No changes: every workspace matches the repository._');
  });

  it('escapes HTML and table pipes coming from content; fences survive backticks in a query', () => {
    const change = update('a', {
      displayName: 'A <b>|</b> rule',
      changedFields: [
        { field: 'query', old: 'T\n| x', new: 'T\n| where s == "```"' },
        { field: 'description', old: 'a|b', new: '<c>' },
      ],
    });
    const md = renderPlanMarkdown(report([{ name: 'ws|1', changes: [change] }]));
    expect(md).toContain('A &lt;b&gt;&#124;&lt;/b&gt; rule');
    expect(md).toContain('| ws&#124;1 |');
    expect(md).toContain('| description | <code>"a&#124;b"</code> | <code>"&lt;c&gt;"</code> |');
    expect(md).toContain('````diff\n  T\n- | x\n+ | where s == "```"\n````');
  });

  it("stays below GitHub's comment limit, saying what it left out", () => {
    const long = 'x'.repeat(2000);
    const workspaces = Array.from({ length: 100 }, (_, i) => ({
      name: `ws-${i}`,
      changes: [update('a', { changedFields: [{ field: 'query', old: `${long}\n1`, new: `${long}\n2` }] })],
    }));
    const md = renderPlanMarkdown(report(workspaces));
    expect(md.length).toBeLessThan(65_536);
    expect(md).toMatch(/_…\d+ more workspace section\(s\) left out to fit a comment/);
    expect(md).toContain('| ws-99 | 0 | 1 | 0 | 0 | 0 |'); // the summary table is always complete
  });
});

describe('deploy progress', () => {
  it('in CI logs: one plain line per finished workspace', () => {
    const lines: string[] = [];
    const p = progressReporter((t) => lines.push(t), false);
    p({ kind: 'start', workspaces: 2 });
    p({ kind: 'planned', workspace: 'a', writes: 2 });
    p({ kind: 'wrote', workspace: 'a' });
    p({ kind: 'finished', workspace: 'a', status: 'failed', writes: 1 });
    p.close();
    expect(lines).toEqual(['deploy: a FAILED (1 write) · 1/2 workspaces\n']);
  });

  it('on a TTY: one line rewritten in place, cleared at the end', () => {
    const lines: string[] = [];
    const p = progressReporter((t) => lines.push(t), true);
    p({ kind: 'start', workspaces: 1 });
    p({ kind: 'planned', workspace: 'a', writes: 3 });
    p({ kind: 'wrote', workspace: 'a' });
    p.close();
    expect(lines.at(-2)).toBe('\r\u001b[2Kdeploy: 0/1 workspaces done · 1/3 writes');
    expect(lines.at(-1)).toBe('\r\u001b[2K');
  });
});
