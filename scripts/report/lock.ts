// The `lock` command's summary (text); its diagnostics render like validate's.

export interface LockSummary {
  lockFile: string;
  written: boolean;
  added: readonly string[];
  updated: readonly string[];
  retired: readonly string[];
  unchanged: number;
}

export function renderLockSummary(result: LockSummary): string {
  const parts = [
    result.added.length && `${result.added.length} added`,
    result.updated.length && `${result.updated.length} updated`,
    result.retired.length && `${result.retired.length} retired`,
    `${result.unchanged} unchanged`,
  ].filter(Boolean);
  const lines = [`${result.written ? 'wrote' : 'up to date:'} ${result.lockFile} (${parts.join(', ')})`];
  for (const [label, ids] of [
    ['added', result.added],
    ['updated', result.updated],
    ['retired', result.retired],
  ] as const) {
    for (const id of ids) lines.push(`  ${label.padEnd(8)} ${id}`);
  }
  return `${lines.join('\n')}\n`;
}
