// Azure-Sentinel Detections YAML (github.com/Azure/Azure-Sentinel, Detections/ and Solutions/*/Analytic
// Rules/) → this repository's rule YAML value. The formats are nearly the same; what differs:
//   kind missing → Scheduled; version missing → 1.0.0; triggerOperator GreaterThan → gt;
//   ISO 8601 durations → 1h; `techniques` → relevantTechniques; solution-level source/author/support/
//   categories at the top → metadata; threatAnalysisTactics/-Techniques are dropped (they repeat
//   tactics/techniques). Any other key is refused.
import { operatorFromApi, OPERATORS } from '../model/rule.ts';
import type { RuleYaml } from '../model/yaml-types.ts';
import { parseYaml } from '../yaml/document.ts';
import { normalizeNewlines, refuse, relevantTechniques, SUPPORTED_KINDS, yamlDuration } from './from-api.ts';
import { KEY_ORDER } from './write-yaml.ts';

/** The rule schema's keys (schemas/rule.schema.json), which our files write in this order. */
const RULE_KEYS = new Set<string>(KEY_ORDER);
const DROPPED = new Set(['threatAnalysisTactics', 'threatAnalysisTechniques']);
const METADATA_KEYS = new Set(['source', 'author', 'support', 'categories']);
const DURATIONS = ['queryFrequency', 'queryPeriod', 'suppressionDuration'] as const;

export interface SentinelYamlRule {
  rule: RuleYaml;
  notes: string[];
}

export function readSentinelYaml(file: string, text: string): SentinelYamlRule {
  // The same YAML reader as validate: core schema, no aliases, duplicate keys refused.
  const parsed = parseYaml(file, text);
  if (!parsed.ok) {
    const d = parsed.diagnostics[0]!;
    return d.code === 'yaml.not-a-mapping'
      ? refuse(file, 'not an analytics rule: expected a YAML mapping with id, name and query')
      : refuse(file, `not valid YAML (line ${d.line}: ${d.message})`);
  }
  const y = { ...(parsed.document.value as Record<string, unknown>) };
  if (typeof y.query !== 'string' || typeof y.name !== 'string' || typeof y.id !== 'string') {
    refuse(file, 'not an analytics rule: id, name and query are required (a hunting query, parser or workbook is not a rule)');
  }
  const notes: string[] = [];
  // The kind's case does not matter to Azure-Sentinel's tooling (`kind: scheduled` ships): NRT, Scheduled.
  const kind =
    y.kind === undefined
      ? 'Scheduled'
      : SUPPORTED_KINDS.find((k) => typeof y.kind === 'string' && k.toLowerCase() === y.kind.toLowerCase());
  if (kind === undefined) {
    refuse(file, `alert rule kind ${JSON.stringify(y.kind)} cannot be represented: this repository's rules are Scheduled or NRT`);
  }
  if (y.kind === undefined) notes.push('kind missing: Scheduled');
  else if (y.kind !== kind) notes.push(`kind ${String(y.kind)}: ${kind}`);
  y.kind = kind;

  const metadata = { ...((y.metadata as Record<string, unknown> | undefined) ?? {}) };
  for (const key of Object.keys(y)) {
    if (RULE_KEYS.has(key)) continue;
    if (DROPPED.has(key)) {
      notes.push(`${key} dropped (not deployed)`);
    } else if (METADATA_KEYS.has(key)) {
      if (metadata[key] === undefined) metadata[key] = y[key];
      notes.push(`${key} moved into metadata`);
    } else if (key === 'techniques' && Array.isArray(y.techniques)) {
      y.relevantTechniques = [...new Set([...((y.relevantTechniques as string[] | undefined) ?? []), ...(y.techniques as string[])])];
      notes.push('techniques merged into relevantTechniques');
    } else {
      refuse(file, `key ${JSON.stringify(key)} is not part of the rule format (schemas/rule.schema.json) and cannot be represented`);
    }
    delete y[key];
  }
  if (Object.keys(metadata).length > 0) y.metadata = metadata;
  // An optional key written with no value (`alertDetailsOverride:`) means "not set".
  for (const key of Object.keys(y)) {
    if (y[key] === null && !['id', 'name', 'query', 'kind', 'version'].includes(key)) {
      delete y[key];
      notes.push(`${key} empty: left out`);
    }
  }

  for (const key of DURATIONS) {
    const v = y[key];
    if (typeof v === 'string' && /^P/i.test(v)) y[key] = yamlDuration(file, key, v);
  }
  const op = y.triggerOperator;
  if (typeof op === 'string' && !(op in OPERATORS)) {
    const short = operatorFromApi(op);
    if (!short) refuse(file, `triggerOperator ${JSON.stringify(op)} is not gt, lt, eq or ne (nor GreaterThan, LessThan, Equal, NotEqual)`);
    y.triggerOperator = short;
  }
  if (Array.isArray(y.relevantTechniques)) {
    const all = (y.relevantTechniques as unknown[]).filter((t): t is string => typeof t === 'string');
    y.relevantTechniques = relevantTechniques(
      all.filter((t) => t.length === 5),
      all.filter((t) => t.length > 5),
    );
  } else {
    y.relevantTechniques = [];
  }
  if (y.version === undefined) {
    y.version = '1.0.0';
    notes.push('version missing: 1.0.0');
  } else {
    y.version = String(y.version);
  }
  y.requiredDataConnectors ??= [];
  y.tactics ??= [];
  y.id = (y.id as string).toLowerCase();
  for (const key of ['description', 'query'] as const) if (typeof y[key] === 'string') y[key] = normalizeNewlines(y[key] as string);
  return { rule: y as unknown as RuleYaml, notes };
}
