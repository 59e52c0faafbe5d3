// Durations as the YAML format writes them (`5m`, `1h`, `14d`) and as the REST API wants them (ISO 8601).

const UNIT_MINUTES = { m: 1, h: 60, d: 1440 } as const;

/** Minutes in a `5m` / `1h` / `14d` duration, or undefined when the text is not one. */
export function parseDuration(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const match = /^([1-9][0-9]*)([mhd])$/.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MINUTES[match[2] as keyof typeof UNIT_MINUTES];
}

/** ISO 8601 as Sentinel returns it: PT5M, PT1H, P1D, P1DT6H, PT1H30M. */
export function toIsoDuration(minutes: number): string {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const time = `${hours ? `${hours}H` : ''}${mins ? `${mins}M` : ''}`;
  const period = `${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
  return period ? `P${period}` : 'PT0M';
}

/** Minutes in an ISO 8601 duration (days, hours, minutes, seconds), or undefined. */
export function parseIsoDuration(text: string): number | undefined {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(text);
  if (!match || text === 'P' || /T$/i.test(text)) return undefined;
  const [, d, h, m, s] = match;
  return Number(d ?? 0) * 1440 + Number(h ?? 0) * 60 + Number(m ?? 0) + Number(s ?? 0) / 60;
}

/** The shortest YAML form of a whole number of minutes: 1440 → 1d, 90 → 90m. */
export function toYamlDuration(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}
