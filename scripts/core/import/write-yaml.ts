// A rule YAML value → the text of a rule file: the schema comment first, keys in the order of this
// repository's rule files (rules/ipsum-inbound-internet-facing.yaml), multi-line strings (query,
// description, formats) as literal block scalars, no folding. js-yaml's dump with a transform that
// picks the literal style; keys are ordered before dumping.
import { dump, SCALAR_STYLE, visit, type Node } from 'js-yaml';
import type { RuleYaml } from '../model/yaml-types.ts';

export const SCHEMA_COMMENT = '# yaml-language-server: $schema=../schemas/rule.schema.json';

/** The schema line for a rule file at `path` (repository-relative): one `../` per folder level. */
export function schemaCommentFor(path: string): string {
  const depth = path.split('/').length - 1;
  return `# yaml-language-server: $schema=${depth ? '../'.repeat(depth) : './'}schemas/rule.schema.json`;
}

/** A rule file's text (ruleYamlText) with the schema line for where it is written. */
export function placeRuleText(text: string, path: string): string {
  return text.startsWith(`${SCHEMA_COMMENT}\n`) ? `${schemaCommentFor(path)}\n${text.slice(SCHEMA_COMMENT.length + 1)}` : text;
}

export const KEY_ORDER = [
  'id',
  'name',
  'description',
  'severity',
  'status',
  'enabled',
  'requiredDataConnectors',
  'queryFrequency',
  'queryPeriod',
  'triggerOperator',
  'triggerThreshold',
  'suppressionEnabled',
  'suppressionDuration',
  'tactics',
  'relevantTechniques',
  'parameters',
  'query',
  'entityMappings',
  'sentinelEntitiesMappings',
  'customDetails',
  'alertDetailsOverride',
  'eventGroupingSettings',
  'incidentConfiguration',
  'alertRuleTemplateName',
  'templateVersion',
  'version',
  'kind',
  'tags',
  'hunting',
  'lints',
  'metadata',
] as const;

/** Block scalars for these always (one line or more), so that the file reads like a hand-written one. */
const BLOCK_KEYS = new Set(['description', 'query']);

export function ruleYamlText(rule: RuleYaml): string {
  const source = rule as unknown as Record<string, unknown>;
  const ordered: Record<string, unknown> = {};
  for (const key of KEY_ORDER) if (source[key] !== undefined) ordered[key] = source[key];
  for (const key of Object.keys(source).sort()) if (!(key in ordered) && source[key] !== undefined) ordered[key] = source[key];
  for (const key of BLOCK_KEYS) {
    const value = ordered[key];
    // A trailing newline gives `|` (as the repository's files write them); compile trims it again.
    if (typeof value === 'string' && !value.endsWith('\n')) ordered[key] = `${value}\n`;
  }
  const text = dump(ordered, {
    lineWidth: -1,
    noRefs: true,
    transform: (documents) =>
      visit(documents, (node: Node) => {
        if (node.kind === 'scalar' && node.value.includes('\n')) node.style = SCALAR_STYLE.LITERAL_BLOCK;
      }),
  });
  return `${SCHEMA_COMMENT}\n${text}`;
}

/** File name for a rule: its display name, lower case, runs of other characters as `-`. */
export function slugOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug || 'rule';
}
