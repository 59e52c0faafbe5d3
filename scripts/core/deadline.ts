// The run's deadline as the CLI reads it (--deadline 90s | 30m | 2h) and as messages show it.
// The timer itself is commands/shared/deadline.ts.

/** Long enough for a throttled deploy or first sync of several workspaces; short of a CI job's limit. */
export const DEFAULT_DEADLINE_MS = 30 * 60_000;

/** 90000 → `1 min 30 s`. */
export function describeMs(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h && `${h} h`, m && `${m} min`, (s || (!h && !m)) && `${s} s`].filter(Boolean).join(' ');
}

/** `90s`, `30m`, `2h` → milliseconds; undefined when the text is not one (1 s to 24 h). */
export function parseDeadline(text: string): number | undefined {
  const match = /^([1-9][0-9]*)(s|m|h)$/.exec(text.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 's' | 'm' | 'h'];
  return ms <= 24 * 3_600_000 ? ms : undefined;
}
