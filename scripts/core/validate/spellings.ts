// Before the schema layer: what Microsoft's Azure-Sentinel YAML accepts and this repository spells
// differently is accepted with a warning that names the preferred spelling, and the document's value
// is rewritten to it, so every later layer (and compile) sees one spelling:
//   triggerOperator GreaterThan/LessThan/Equal/NotEqual → gt/lt/eq/ne; durations PT1H/P7D → 1h/7d;
//   kind scheduled/nrt (any case) → Scheduled/NRT; an optional key with no value (alertDetailsOverride:,
//   at any depth) → left out; `tactics:` or `relevantTechniques: ""` with no value → an empty list. Import makes the same rewrites when it converts a file.
import type { Diagnostic } from '../diagnostics.ts';
import { asRecord } from '../guards.ts';
import { parseIsoDuration, toYamlDuration } from '../model/duration.ts';
import { operatorFromApi } from '../model/rule.ts';
import type { YamlDocument } from '../yaml/document.ts';

const KINDS = ['Scheduled', 'NRT'];
const DURATIONS: readonly (readonly string[])[] = [
  ['queryFrequency'],
  ['queryPeriod'],
  ['suppressionDuration'],
  ['incidentConfiguration', 'groupingConfiguration', 'lookbackDuration'],
];
/** Keys the rule format requires: an empty one stays an error (schema layer). */
const REQUIRED = new Set([
  'id',
  'name',
  'description',
  'severity',
  'requiredDataConnectors',
  'query',
  'tactics',
  'relevantTechniques',
  'version',
  'kind',
]);
/** This repository's own keys, where an empty value means something (a lint accepted without a reason is an error). */
const OWN_KEYS = new Set(['lints', 'parameters', 'hunting']);
/** Required lists that Azure-Sentinel YAML often leaves empty. */
const LISTS = ['tactics', 'relevantTechniques'];

export function normalizeRuleSpellings(doc: YamlDocument): Diagnostic[] {
  const rule = asRecord(doc.value);
  if (!rule) return [];
  const out: Diagnostic[] = [];
  const warn = (
    path: (string | number)[],
    message: string,
    hint: string,
    code = 'rule.api-spelling',
    where: 'key' | 'value' = 'value',
  ): void => {
    out.push(doc.diagnostic(path, code, 'warning', message, hint, where));
  };

  if (typeof rule.kind === 'string' && !KINDS.includes(rule.kind)) {
    const kind = KINDS.find((k) => k.toLowerCase() === String(rule.kind).toLowerCase());
    if (kind) {
      warn(['kind'], `kind '${rule.kind}' is accepted as ${kind}`, `Write kind: ${kind}.`);
      rule.kind = kind;
    }
  }
  if (typeof rule.triggerOperator === 'string') {
    const short = operatorFromApi(rule.triggerOperator);
    if (short && short !== rule.triggerOperator) {
      warn(
        ['triggerOperator'],
        `triggerOperator ${rule.triggerOperator} is the API spelling; this repository writes ${short}`,
        `Write triggerOperator: ${short}.`,
      );
      rule.triggerOperator = short;
    }
  }
  for (const path of DURATIONS) {
    const parent = path.slice(0, -1).reduce<Record<string, unknown> | undefined>((at, key) => asRecord(at?.[key]), rule);
    const key = path[path.length - 1]!;
    const value = parent?.[key];
    if (typeof value !== 'string' || !/^P/i.test(value)) continue;
    const minutes = parseIsoDuration(value);
    if (minutes === undefined || !Number.isInteger(minutes) || minutes <= 0) continue; // the schema reports it
    const short = toYamlDuration(minutes);
    warn([...path], `${key} ${value} is the API (ISO 8601) spelling; this repository writes ${short}`, `Write ${key}: ${short}.`);
    parent![key] = short;
  }
  // A list the format requires but the author left empty (`tactics:`, `relevantTechniques: ""`): none.
  for (const key of LISTS) {
    if (rule[key] !== null && rule[key] !== '') continue;
    warn([key], `${key} has no value: read as an empty list`, `Write ${key}: [] (or list them).`, 'rule.empty-key', 'key');
    rule[key] = [];
  }
  dropEmpty(rule, [], (path, key) =>
    warn([...path, key], `${key} has no value: it is left out`, `Remove the line, or give ${key} a value.`, 'rule.empty-key', 'key'),
  );
  return out;
}

/** Keys with no value, at any depth of mappings (not list items), are left out; required top-level keys stay. */
function dropEmpty(
  node: Record<string, unknown>,
  path: (string | number)[],
  report: (path: (string | number)[], key: string) => void,
): void {
  for (const [key, value] of Object.entries(node)) {
    if (path.length === 0 && OWN_KEYS.has(key)) continue;
    if (value === null && !(path.length === 0 && REQUIRED.has(key))) {
      report(path, key);
      delete node[key];
    } else if (asRecord(value)) {
      dropEmpty(value as Record<string, unknown>, [...path, key], report);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (asRecord(item)) dropEmpty(item as Record<string, unknown>, [...path, key, i], report);
      });
    }
  }
}
