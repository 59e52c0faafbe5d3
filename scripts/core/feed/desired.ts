// The set the watchlist should hold after a sync. IPsum counts move by one across the entry level
// every day; hysteresis (enter at minScore, leave only below exitScore) stops those IPs from being
// deleted and re-added, which is most of the churn against the 100,000 changes-a-month budget.
import { ConfigError } from '../errors.ts';
import { type Cidr, cidrContains, ipv4ToUint, parseCidr } from './ipv4.ts';
import { settingPath } from './settings.ts';

export interface DesiredInput {
  /** Parsed feed: IP → count. */
  feed: ReadonlyMap<string, number>;
  /** IPs currently in the watchlist, normalized (diff.ts normalizeKey). */
  live: ReadonlySet<string>;
  minScore: number;
  /** Defaults to minScore (no hysteresis). */
  exitScore?: number;
  /** IPv4 addresses and CIDR ranges never to list (compileAllowList, once per run). */
  allowList: AllowList;
  /** For messages: which watchlists/<alias>.yaml to fix. */
  alias?: string;
}

export interface AllowList {
  addresses: ReadonlySet<number>;
  ranges: readonly Cidr[];
}

/** Compile the allow-list; throws ConfigError naming every bad entry. */
export function compileAllowList(entries: readonly string[], alias?: string): AllowList {
  const addresses = new Set<number>();
  const ranges: Cidr[] = [];
  const errors: string[] = [];
  for (const entry of entries) {
    const parsed = parseCidr(entry);
    if ('error' in parsed) errors.push(parsed.error);
    else if (parsed.prefix === 32) addresses.add(parsed.base);
    else ranges.push(parsed);
  }
  if (errors.length > 0) {
    throw new ConfigError(
      `${settingPath(alias, 'allowList')} has ${errors.length} invalid ${errors.length === 1 ? 'entry' : 'entries'}: ${errors.join('; ')}`,
      alias ? `watchlists/${alias}.yaml` : undefined,
      'Each entry is an IPv4 address (203.0.113.7) or a CIDR range with its network address (203.0.113.0/24).',
    );
  }
  return { addresses, ranges };
}

export function isAllowed(allow: AllowList, ip: string): boolean {
  const value = ipv4ToUint(ip);
  if (value < 0) return false;
  if (allow.addresses.has(value)) return true;
  for (const range of allow.ranges) if (cidrContains(range, value)) return true;
  return false;
}

/** Throws ConfigError when the scores make no sense (exit above entry, not whole numbers). */
export function checkScores(minScore: number, exitScore: number, alias?: string): void {
  const file = alias ? `watchlists/${alias}.yaml` : undefined;
  if (!Number.isInteger(minScore) || minScore < 1) {
    throw new ConfigError(`${settingPath(alias, 'minScore')} must be a whole number ≥ 1, found ${minScore}.`, file);
  }
  if (!Number.isInteger(exitScore) || exitScore < 1 || exitScore > minScore) {
    throw new ConfigError(
      `${settingPath(alias, 'exitScore')} must be a whole number from 1 to minScore (${minScore}), found ${exitScore}.`,
      file,
      'An IP enters at minScore and stays while its count is at least exitScore; set exitScore = minScore to turn hysteresis off.',
    );
  }
}

/**
 * IPs with count ≥ minScore, plus live IPs whose count is still ≥ exitScore, minus allow-listed
 * ones. Insertion order follows the feed; the diff sorts its output.
 */
export function desiredSet(input: DesiredInput): Map<string, number> {
  const exitScore = input.exitScore ?? input.minScore;
  checkScores(input.minScore, exitScore, input.alias);
  const { allowList, live } = input;
  const screen = allowList.addresses.size > 0 || allowList.ranges.length > 0;
  const desired = new Map<string, number>();
  for (const [ip, count] of input.feed) {
    if (count < exitScore) continue;
    if (count < input.minScore && !live.has(ip)) continue;
    if (screen && isAllowed(allowList, ip)) continue;
    desired.set(ip, count);
  }
  return desired;
}
