// The plan as an ordered list of item writes. Order: duplicate deletions, adds, score updates, then
// removals last, so that a run cut short leaves the watchlist with extra addresses rather than
// missing ones (a stale entry costs an alert at worst; a missing one hides an attack).
import { type WatchlistPlan, normalizeKey } from '../feed/diff.ts';
import { itemValues } from './items.ts';
import type { ItemShape } from './settings.ts';

export type ItemWriteKind = 'duplicate' | 'add' | 'update' | 'remove';

export interface ItemWrite {
  kind: ItemWriteKind;
  /** The item id: deterministic per (alias, IP) for adds, the live id otherwise. */
  id: string;
  ip: string;
  /** Key-values to PUT; absent for deletions. */
  values?: Record<string, string>;
}

export function itemWrites(plan: WatchlistPlan, shape: ItemShape): ItemWrite[] {
  const writes: ItemWrite[] = [];
  for (const item of plan.duplicates) writes.push({ kind: 'duplicate', id: item.id, ip: normalizeKey(item.key) });
  for (const add of plan.add) writes.push({ kind: 'add', id: add.id, ip: add.ip, values: itemValues(shape, add.ip, add.score) });
  for (const update of plan.update)
    writes.push({ kind: 'update', id: update.item.id, ip: update.ip, values: itemValues(shape, update.ip, update.to) });
  for (const item of plan.remove) writes.push({ kind: 'remove', id: item.id, ip: normalizeKey(item.key) });
  return writes;
}

export type WriteCounts = Record<ItemWriteKind, number>;

export function emptyCounts(): WriteCounts {
  return { duplicate: 0, add: 0, update: 0, remove: 0 };
}

export function countWrites(writes: readonly ItemWrite[]): WriteCounts {
  const counts = emptyCounts();
  for (const write of writes) counts[write.kind]++;
  return counts;
}
