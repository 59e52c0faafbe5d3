// Addresses that no threat feed entry should put on a watchlist: "this network", private, shared
// (carrier-grade NAT), loopback, link-local, multicast, reserved and broadcast ranges. Listed, they
// would match a workspace's own internal traffic (a 10.x or 192.168.x peer) and raise alerts on it.
// The sync drops them from the feed by default and reports how many (feed.dropReserved: false keeps them).
import { type Cidr, cidrContains, ipv4ToUint, parseCidr } from './ipv4.ts';

/** RFC 6890 special-purpose ranges that are never a public internet peer (255.255.255.255 is in 240/4). */
export const RESERVED_RANGES = [
  '0.0.0.0/8', // "this network"
  '10.0.0.0/8', // private
  '100.64.0.0/10', // shared address space (carrier-grade NAT)
  '127.0.0.0/8', // loopback
  '169.254.0.0/16', // link-local
  '172.16.0.0/12', // private
  '192.168.0.0/16', // private
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, and the limited broadcast 255.255.255.255
] as const;

const RANGES: readonly Cidr[] = RESERVED_RANGES.map((text) => {
  const parsed = parseCidr(text);
  // Stryker disable next-line StringLiteral: unreachable while the list above parses; it names a broken edit of it
  if ('error' in parsed) throw new Error(`reserved range ${text}: ${parsed.error}`);
  return parsed;
});

export function isReservedIPv4(ip: string): boolean {
  const value = ipv4ToUint(ip);
  // -1 (not an address) lies in no range: every range starts at 0 or above
  return RANGES.some((range) => cidrContains(range, value));
}

export interface ReservedDrop {
  /** The feed without reserved addresses, in the feed's order. */
  kept: Map<string, number>;
  dropped: number;
  /** The first few dropped addresses, for the report. */
  examples: string[];
}

const EXAMPLES = 5;

export function dropReserved(entries: ReadonlyMap<string, number>): ReservedDrop {
  const kept = new Map<string, number>();
  const examples: string[] = [];
  let dropped = 0;
  for (const [ip, count] of entries) {
    if (!isReservedIPv4(ip)) {
      kept.set(ip, count);
      continue;
    }
    dropped++;
    if (examples.length < EXAMPLES) examples.push(ip);
  }
  return { kept, dropped, examples };
}
