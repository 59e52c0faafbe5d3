// Live and desired resources → one comparable form, so that "equal" means "a PUT would change
// nothing". Both sides go through the same steps:
//   - server-managed fields go (id, etag, name, type, systemData, lastModifiedUtc, watchlist bookkeeping);
//   - null, empty strings, empty arrays and empty objects mean "not set" (the service answers explicit
//     nulls for what a PUT omitted);
//   - the defaults the service fills in are filled in on both sides (incidentConfiguration,
//     eventGroupingSettings, suppression);
//   - ISO durations are canonical (PT60M and PT1H are one value; the service answers PT1H);
//   - a rule's texts (query, description, alert name and description formats) compare without CR
//     before LF and without trailing white space, as compile writes them; its techniques as a set
//     (compile sorts them; a rule made in the portal lists them as picked): a rule adopted from a
//     workspace then compares equal to its import;
//   - a watchlist's description loses the sync's provenance block (the sync owns it), and a
//     watchlist or mark is compared on the fields we write only.
import { parseIsoDuration, toIsoDuration } from '../model/duration.ts';
import { decodeProvenance } from '../feed/provenance.ts';
import { asString, isRecord } from '../guards.ts';
import { SERVICE_DEFAULTS } from '../compile/defaults.ts';

export type Json = Record<string, unknown>;

const RULE_SERVER_FIELDS = new Set(['lastModifiedUtc']);
const DURATION_KEYS = new Set(['queryFrequency', 'queryPeriod', 'suppressionDuration', 'lookbackDuration', 'defaultDuration']);

/** The fields a watchlist definition compiles to (compile/watchlist.ts); everything else is the service's or the sync's. */
const WATCHLIST_FIELDS = ['displayName', 'provider', 'source', 'description', 'itemsSearchKey', 'labels', 'defaultDuration'] as const;
/** The fields of an ownership mark we write (compile/metadata.ts). */
const MARK_FIELDS = ['kind', 'contentId', 'parentId', 'version', 'source', 'dependencies', 'author', 'support', 'categories'] as const;

const RULE_TEXTS = new Set(['query', 'description', 'alertDisplayNameFormat', 'alertDescriptionFormat']);
const RULE_SETS = new Set(['techniques', 'subTechniques']);

/** `{kind, ...properties}` of an alert rule, comparable. */
export function normalizeRule(kind: string, properties: Json): Json {
  const own = ruleTexts(Object.fromEntries(Object.entries(properties).filter(([key]) => !RULE_SERVER_FIELDS.has(key)))) as Json;
  const filled = kind === 'Scheduled' || kind === 'NRT' ? withDefaults(prune(own) as Json, SERVICE_DEFAULTS) : own;
  return { kind, ...((prune(canonical(filled)) as Json | undefined) ?? {}) };
}

/** A watchlist's own fields, the provenance block stripped from its description. */
export function normalizeWatchlist(properties: Json): Json {
  const picked: Json = {};
  for (const key of WATCHLIST_FIELDS) picked[key] = properties[key];
  picked.description = decodeProvenance(asString(properties.description)).human;
  return (prune(canonical(picked)) as Json | undefined) ?? {};
}

/** An ownership mark's fields; ARM ids compare case-insensitively. */
export function normalizeMark(properties: Json): Json {
  const picked: Json = {};
  for (const key of MARK_FIELDS) picked[key] = properties[key];
  if (typeof picked.parentId === 'string') picked.parentId = picked.parentId.toLowerCase();
  return (prune(canonical(picked)) as Json | undefined) ?? {};
}

/** `key` is the field holding `value` ('' for a list item). */
// Stryker disable next-line StringLiteral: any default that names no text, set or duration field does the same
function ruleTexts(value: unknown, key = ''): unknown {
  if (typeof value === 'string' && RULE_TEXTS.has(key)) return value.replace(/\r\n?/g, '\n').trimEnd();
  if (Array.isArray(value)) {
    const items = value.map((v) => ruleTexts(v));
    return RULE_SETS.has(key) && items.every((v) => typeof v === 'string') ? [...items].sort() : items;
  }
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, ruleTexts(v, k)]));
  return value;
}

/** Drops null/undefined/''/[]/{} recursively; undefined when nothing is left. */
export function prune(value: unknown): unknown {
  if (value == null || value === '') return undefined; // == null: null and undefined
  if (Array.isArray(value)) {
    const items = value.map(prune).filter((v) => v !== undefined);
    return items.length ? items : undefined;
  }
  if (typeof value === 'object') {
    const out: Json = {};
    for (const [key, item] of Object.entries(value)) {
      const kept = prune(item);
      if (kept !== undefined) out[key] = kept;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value;
}

/** Fills what is absent in `value` from `defaults`, recursively into objects. */
function withDefaults(value: Json, defaults: Json): Json {
  const out: Json = { ...value };
  for (const [key, fallback] of Object.entries(defaults)) {
    const current = out[key];
    if (current === undefined) out[key] = structuredClone(fallback);
    else if (isRecord(current) && isRecord(fallback)) out[key] = withDefaults(current, fallback);
  }
  return out;
}

/** `key` is the field holding `value` ('' for a list item). */
// Stryker disable next-line StringLiteral: any default that names no text, set or duration field does the same
function canonical(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => canonical(v));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, canonical(v, k)]));
  if (DURATION_KEYS.has(key) && typeof value === 'string') {
    const minutes = parseIsoDuration(value);
    // Number.isInteger is false for undefined (not a duration)
    return Number.isInteger(minutes) ? toIsoDuration(minutes!) : value.toUpperCase();
  }
  return value;
}
