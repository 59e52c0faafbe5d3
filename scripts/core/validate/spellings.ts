// Before the schema layer: what Microsoft's Azure-Sentinel YAML accepts and this repository spells
// differently is accepted with a warning that names the preferred spelling, and the document's value
// is rewritten to it, so every later layer (and compile) sees one spelling:
//   triggerOperator GreaterThan/LessThan/Equal/NotEqual → gt/lt/eq/ne; durations PT1H/P7D → 1h/7d;
//   kind scheduled/nrt (any case) → Scheduled/NRT; an optional key with no value (alertDetailsOverride:)
//   → left out. Import makes the same rewrites when it converts a file.
import type { Diagnostic } from '../diagnostics.ts';
import { asRecord } from '../guards.ts';
import { parseIsoDuration, toYamlDuration } from '../model/duration.ts';
import { operatorFromApi } from '../model/rule.ts';
import type { YamlDocument } from '../yaml/document.ts';

const KINDS = ['Scheduled', 'NRT'];
const DURATIONS: readonly (readonly string[])[] = [['queryFrequency'], ['queryPeriod'], ['suppressionDuration'],
  ['incidentConfiguration', 'groupingConfiguration', 'lookbackDuration']];
/** Keys the rule format requires: an empty one stays an error (schema layer). */
const REQUIRED = new Set(['id', 'name', 'description', 'severity', 'requiredDataConnectors', 'query', 'tactics', 'relevantTechniques', 'version', 'kind']);

export function normalizeRuleSpellings(doc: YamlDocument): Diagnostic[] {
  const rule = asRecord(doc.value);
  if (!rule) return [];
  const out: Diagnostic[] = [];
  const warn = (path: (string | number)[], message: string, hint: string, code = 'rule.api-spelling', where: 'key' | 'value' = 'value'): void => {
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
      warn(['triggerOperator'], `triggerOperator ${rule.triggerOperator} is the API spelling; this repository writes ${short}`, `Write triggerOperator: ${short}.`);
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
  for (const [key, value] of Object.entries(rule)) {
    if (value !== null || REQUIRED.has(key)) continue;
    warn([key], `${key} has no value: it is left out`, `Remove the line, or give ${key} a value.`, 'rule.empty-key', 'key');
    delete rule[key];
  }
  return out;
}
