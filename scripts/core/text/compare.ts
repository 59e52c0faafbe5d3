/**
 * Orders strings by UTF-16 code unit, as Array#sort does without a comparator: the same order on
 * every machine and locale (localeCompare is neither), so output built from it is deterministic.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
