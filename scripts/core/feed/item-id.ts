// Watchlist item ids are GUIDs chosen by the client. Deriving them from (alias, IP) makes a PUT
// idempotent: a run that crashed halfway is re-run and finds, or overwrites, exactly what it wrote.
// node:crypto's hash is pure computation, allowed in core.
import { createHash } from 'node:crypto';

/** This project's UUID v5 namespace for watchlist items (random, fixed forever: changing it renames every item). */
export const ITEM_ID_NAMESPACE = '8ed8c74a-a07a-419c-a7d4-d14e6765c49a';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** RFC 4122 name-based UUID, version 5 (SHA-1), canonical lower-case. */
export function uuidV5(namespace: string, name: string): string {
  if (!UUID.test(namespace)) throw new Error(`uuidV5: namespace "${namespace}" is not a UUID`);
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    // Stryker disable next-line StringLiteral: an empty encoding is utf8, Node's default
    .update(name, 'utf8')
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50; // version 5
  hash[8] = (hash[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Deterministic item id for an IP in a watchlist; alias and key are case- and whitespace-insensitive. */
export function watchlistItemId(alias: string, ip: string): string {
  return uuidV5(ITEM_ID_NAMESPACE, `${alias.trim().toLowerCase()}/${ip.trim().toLowerCase()}`);
}
