// Which workspaces of an environment one run covers: `--workspace <name|glob>` (repeatable or
// comma-separated; `*` and `?` wildcards, case-insensitive) and `--shard i/n` (1-based: the selected
// workspaces sorted by name, dealt round-robin, so a GitHub Actions matrix of n jobs covers each once).
import { UsageError } from '../errors.ts';
import type { Workspace } from '../model/workspaces.ts';
import { compareText } from '../text/compare.ts';

export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || index < 1 || index > count) {
    throw new UsageError(
      `--shard ${text}: expected i/n with 1 ≤ i ≤ n, e.g. --shard 2/4`,
      'In a GitHub Actions matrix: --shard ${{ matrix.shard }}/${{ strategy.job-total }} with shard: [1, 2, …].',
    );
  }
  return { index, count };
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

export function selectWorkspaces(all: readonly Workspace[], filters: readonly string[] = [], shard?: Shard): Workspace[] {
  const patterns = filters
    .flatMap((f) => f.split(','))
    .map((f) => f.trim())
    .filter(Boolean);
  let selected = [...all];
  if (patterns.length) {
    const regexps = patterns.map(globToRegExp);
    selected = selected.filter((ws) => regexps.some((r) => r.test(ws.name)));
    if (selected.length === 0) {
      throw new UsageError(
        `--workspace ${patterns.join(',')}: no workspace of this environment matches`,
        `Workspaces: ${all.map((w) => w.name).join(', ') || '(none)'}.`,
      );
    }
  }
  selected.sort((a, b) => compareText(a.name, b.name));
  if (shard) selected = selected.filter((_, i) => i % shard.count === shard.index - 1);
  return selected;
}
