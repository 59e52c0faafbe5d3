// The sync's state lives in the watchlist's description: analysts see when the list was last fed
// and from which build, and the next run reads the month's change tally and the HTTP validators
// from the same place, per workspace, with no other storage. The human text stays first; the
// state is one versioned line at the end:
//   [sync v1 feed=2026-08-22T01:00:29Z sha256=0123456789ab items=5354 month=2026-08 changes=1234 at=… etag="…" lastModified="…"]
// Values are bare tokens or JSON strings. A missing, garbled or newer block decodes to no state.

export interface ProvenanceState {
  /** The feed's own '# Last update:' time, ISO 8601 UTC. */
  feedUpdated?: string;
  /** First 12 hex digits of the feed body's SHA-256. */
  sha256?: string;
  /** Items in the watchlist after the sync. */
  items: number;
  /** UTC month of the tally, YYYY-MM. */
  month: string;
  /** Item changes made in `month` so far, this run included. */
  changes: number;
  /** When the sync finished, ISO 8601 UTC. */
  syncedAt?: string;
  /** Conditional-GET validators from the last download. */
  etag?: string;
  lastModified?: string;
}

export const PROVENANCE_VERSION = 1;
/**
 * The 2025-09-01 REST spec declares no maxLength for `description`; this conservative project
 * limit keeps the description readable and well inside any undocumented service limit.
 */
export const DESCRIPTION_MAX_LENGTH = 1000;
export const SHA256_PREFIX_LENGTH = 12;

/** The part of a feed's SHA-256 the provenance line and the reports show. */
export function shaPrefix(sha256: string): string {
  return sha256.slice(0, SHA256_PREFIX_LENGTH).toLowerCase();
}

const MARKER = '[sync v';
const BARE = /^[A-Za-z0-9._:+\-/]+$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
// A validator longer than this is dropped: it only costs one unconditional download.
const VALIDATOR_MAX = 200;

export function encodeProvenance(humanDescription: string, state: ProvenanceState): string {
  // A block that would not decode would silently reset the month's tally: refuse to write one.
  if (!MONTH.test(state.month) || !isCount(state.items) || !isCount(state.changes)) {
    throw new Error(`encodeProvenance: invalid state ${JSON.stringify(state)} (this is a bug)`);
  }
  const human = decodeProvenance(humanDescription).human;
  const fields: [string, string | number | undefined][] = [
    ['feed', state.feedUpdated],
    ['sha256', state.sha256 === undefined ? undefined : shaPrefix(state.sha256)],
    ['items', state.items],
    ['month', state.month],
    ['changes', state.changes],
    ['at', state.syncedAt],
    ['etag', fitValidator(state.etag)],
    ['lastModified', fitValidator(state.lastModified)],
  ];
  const body = fields
    .filter((f): f is [string, string | number] => f[1] !== undefined && f[1] !== '')
    .map(([key, value]) => `${key}=${typeof value === 'number' || BARE.test(value) ? value : JSON.stringify(value)}`)
    .join(' ');
  const block = `${MARKER}${PROVENANCE_VERSION} ${body}]`;
  const room = DESCRIPTION_MAX_LENGTH - block.length - 1;
  const text = human.length > room ? `${human.slice(0, Math.max(0, room - 1)).trimEnd()}…` : human;
  return text === '' ? block : `${text}\n${block}`;
}

/** A description split into its human text and the sync state of its last-line block. */
export interface DecodedProvenance {
  human: string;
  /** Undefined when there is no block or it does not decode. */
  state?: ProvenanceState;
  /** The description carries the sync marker, readable or not (missing vs unreadable line). */
  hasBlock: boolean;
}

/** Never throws: anything unreadable yields `state: undefined` and the text before the block. */
export function decodeProvenance(description: string | undefined): DecodedProvenance {
  const text = typeof description === 'string' ? description : '';
  const hasBlock = text.includes(MARKER);
  const at = findBlock(text);
  if (at < 0) return { human: text.trimEnd(), hasBlock };
  const human = text.slice(0, at).trimEnd();
  const state = parseBlock(text.slice(at).trimEnd());
  return state ? { human, state, hasBlock } : { human, hasBlock };
}

export function monthOf(now: Date): string {
  return now.toISOString().slice(0, 7);
}

function fitValidator(value: string | undefined): string | undefined {
  return value !== undefined && value.length <= VALIDATOR_MAX ? value : undefined;
}

/** Start of the last-line block, or -1. The marker must begin a line (or follow whitespace). */
function findBlock(text: string): number {
  const at = text.lastIndexOf(MARKER);
  // Stryker disable next-line ConditionalExpression: without a marker (-1) the checks below return -1 too
  if (at < 0) return -1;
  if (at > 0 && !/\s/.test(text[at - 1]!)) return -1;
  return text.slice(at).includes('\n') ? -1 : at;
}

const TOKEN = /\s*([A-Za-z][A-Za-z0-9]*)=("(?:[^"\\]|\\.)*"|[^\s"\]]+)/y;

function parseBlock(block: string): ProvenanceState | undefined {
  // Stryker disable next-line Regex: the block starts at the marker, and version 1 has one digit
  const head = /^\[sync v(\d+) /.exec(block);
  if (!head || Number(head[1]) !== PROVENANCE_VERSION || !block.endsWith(']')) return undefined;
  const raw = new Map<string, string>();
  const inner = block.slice(head[0].length, -1);
  TOKEN.lastIndex = 0;
  // Stryker disable next-line EqualityOperator: the loop ends by the break after the last field; an empty inner part has no fields either way
  while (TOKEN.lastIndex < inner.length) {
    const m = TOKEN.exec(inner);
    if (!m) return undefined;
    // Stryker disable next-line MethodExpression: a bare value never holds a quote, so a quoted one both starts and ends with it
    const value = m[2]!.startsWith('"') ? parseJsonString(m[2]!) : m[2]!;
    if (value === undefined) return undefined;
    raw.set(m[1]!, value);
    if (inner.slice(TOKEN.lastIndex).trim() === '') break;
  }
  const items = wholeNumber(raw.get('items'));
  const changes = wholeNumber(raw.get('changes'));
  const month = raw.get('month');
  if (items === undefined || changes === undefined || month === undefined || !MONTH.test(month)) return undefined;
  const state: ProvenanceState = { items, month, changes };
  const optional = [
    ['feedUpdated', 'feed'],
    ['sha256', 'sha256'],
    ['syncedAt', 'at'],
    ['etag', 'etag'],
    ['lastModified', 'lastModified'],
  ] as const;
  for (const [field, key] of optional) {
    const value = raw.get(key);
    if (value !== undefined) state[field] = value;
  }
  return state;
}

function parseJsonString(text: string): string | undefined {
  try {
    return JSON.parse(text) as string; // TOKEN matched a double-quoted literal: a string, or it throws
    // Stryker disable next-line BlockStatement: an empty catch returns undefined as well
  } catch {
    return undefined;
  }
}

function isCount(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 999_999_999;
}

function wholeNumber(text: string | undefined): number | undefined {
  return /^\d{1,9}$/.test(text ?? '') ? Number(text) : undefined;
}
