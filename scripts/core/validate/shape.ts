// Every YAML file under rules/ is a rule and every one under watchlists/ a watchlist: nothing there is
// skipped. A file without a single key of its kind (a watchlist in rules/, a parser, a workflow) gets
// one clear diagnostic that says what it looks like, instead of a schema error for every key.
import type { Diagnostic } from '../diagnostics.ts';
import { asRecord } from '../guards.ts';
import type { YamlDocument } from '../yaml/document.ts';
import type { ContentKind } from './schema.ts';

/** Keys only that kind of file has (id, name, description, version, kind, tags… are shared with other formats). */
const OWN_KEYS: Partial<Record<ContentKind, ReadonlySet<string>>> = {
  rule: new Set([
    'severity',
    'requiredDataConnectors',
    'queryFrequency',
    'queryPeriod',
    'triggerOperator',
    'triggerThreshold',
    'suppressionEnabled',
    'suppressionDuration',
    'tactics',
    'relevantTechniques',
    'techniques',
    'parameters',
    'query',
    'entityMappings',
    'customDetails',
    'alertDetailsOverride',
    'eventGroupingSettings',
    'incidentConfiguration',
    'hunting',
    'sentinelEntitiesMappings',
    'alertRuleTemplateName',
    'templateVersion',
  ]),
  watchlist: new Set(['alias', 'itemsSearchKey', 'columns', 'provider', 'bootstrapCsv', 'feed', 'defaultDuration', 'labels']),
};

const FOLDER: Record<string, string> = { rule: 'rules/', watchlist: 'watchlists/' };

/** `schema.not-a-rule` / `schema.not-a-watchlist` when a mapping has no key of its kind; else nothing. */
export function shapeDiagnostic(kind: ContentKind, doc: YamlDocument): Diagnostic | undefined {
  const own = OWN_KEYS[kind];
  const value = asRecord(doc.value);
  if (!own || !value) return undefined; // not a mapping: yaml.not-a-mapping says so
  const keys = Object.keys(value);
  if (keys.some((key) => own.has(key))) return undefined;
  const code = kind === 'rule' ? 'schema.not-a-rule' : 'schema.not-a-watchlist';
  const expected =
    kind === 'rule' ? 'an analytics rule (id, name, severity, query, …)' : 'a watchlist definition (alias, columns, itemsSearchKey, …)';
  return {
    code,
    severity: 'error',
    file: doc.file,
    line: 1,
    column: 1,
    message: `every YAML file under ${FOLDER[kind]} must be ${expected}; this one has none of its keys (${keys.slice(0, 5).join(', ') || 'empty mapping'}${keys.length > 5 ? ', …' : ''})${looksLike(keys)}`,
    hint: `Move it out of ${FOLDER[kind]}, or give it another extension than .yaml/.yml. Nothing under ${FOLDER[kind]} is skipped.`,
  };
}

function looksLike(keys: readonly string[]): string {
  const has = (key: string): boolean => keys.includes(key);
  if (has('environments')) return ': it looks like workspaces.yaml';
  if (keys.some((k) => OWN_KEYS.watchlist!.has(k))) return ': it looks like a watchlist definition, which belongs in watchlists/';
  if (keys.some((k) => OWN_KEYS.rule!.has(k))) return ': it looks like an analytics rule, which belongs in rules/';
  if (has('FunctionName') || has('Function') || has('ParserName') || has('FunctionQuery') || has('ParserQuery'))
    return ': it looks like a parser (workspace function)';
  if (has('on') && has('jobs')) return ': it looks like a GitHub workflow';
  return '';
}
