// An alert rule as the REST API / ARM writes it (kind + properties) → this repository's rule YAML
// value. Durations back to `1h`, operators back to `gt`, techniques + subTechniques back to
// relevantTechniques; settings equal to what compile fills in by default are left out, so that a
// rule written by hand and the same rule imported compile to the same body (docs/content-format.md, "import").
import { InputError } from '../errors.ts';
import { parseIsoDuration, toYamlDuration } from '../model/duration.ts';
import { operatorFromApi } from '../model/rule.ts';
import type { RuleYaml } from '../model/yaml-types.ts';
import { strings } from '../guards.ts';
import { SERVICE_DEFAULTS } from '../compile/defaults.ts';

/**
 * The service's default suppression duration as this repository writes durations (5h). Computed on
 * use: a call at import time would make every mutant of model/duration.ts static (see docs/architecture.md).
 */
function defaultSuppression(): string {
  return toYamlDuration(parseIsoDuration(SERVICE_DEFAULTS.suppressionDuration)!);
}

/** Keys a rule body may carry that hold nothing this repository deploys (read-only). */
const IGNORED = new Set(['lastModifiedUtc']);
/** Preview-only scheduling: the time of the first run. Past once the rule ran; dropped with a note. */
const DROPPED = new Set(['startTimeUtc']);
/** Every writable property of Scheduled rules in 2025-09-01, plus the preview ones the rule format carries. */
const KNOWN = new Set([
  'displayName',
  'description',
  'severity',
  'enabled',
  'query',
  'queryFrequency',
  'queryPeriod',
  'triggerOperator',
  'triggerThreshold',
  'suppressionEnabled',
  'suppressionDuration',
  'tactics',
  'techniques',
  'subTechniques',
  'entityMappings',
  'sentinelEntitiesMappings',
  'customDetails',
  'alertDetailsOverride',
  'eventGroupingSettings',
  'incidentConfiguration',
  'alertRuleTemplateName',
  'templateVersion',
]);
export const SUPPORTED_KINDS = ['Scheduled', 'NRT'];

/**
 * Why a live or exported alert rule of another kind is skipped (README, "Rule kinds"): each is a
 * switch on Microsoft's own logic or a forwarding of another product's alerts, not detection content.
 */
export function unsupportedKindReason(kind: string): string {
  switch (kind) {
    case 'Fusion':
      return "Fusion rule: Microsoft's built-in multistage-attack correlation, only switched on or off (and replaced by Defender XDR correlation in the Defender portal); not content this repository writes";
    case 'MLBehaviorAnalytics':
      return 'ML behavior analytics rule: a built-in Microsoft model, only switched on or off, in preview api-versions only; not content this repository writes';
    case 'ThreatIntelligence':
      return "Microsoft Threat Intelligence rule: built-in matching of Microsoft's own indicators, only switched on or off, in preview api-versions only; not content this repository writes";
    case 'MicrosoftSecurityIncidentCreation':
      return "Microsoft incident-creation rule: turns another Microsoft product's alerts into incidents (for products integrated with Defender XDR, its connector does that instead); no query, nothing to validate; not content this repository writes";
    default:
      return `alert rule kind ${JSON.stringify(kind)} is not one this repository knows (Scheduled, NRT)`;
  }
}

export interface ApiRule {
  /** Rule id (resource name). */
  id: string;
  kind: string;
  properties: Record<string, unknown>;
  /** Where it came from, for messages: `<file> resources[2]`. */
  where: string;
}

/** A value refused: says where and why. */
export function refuse(where: string, message: string, hint?: string): never {
  throw new InputError(`${where}: ${message}`, hint);
}

export interface FromApi {
  rule: RuleYaml;
  /** What was dropped, for the report. */
  notes: string[];
}

/** Scheduled and NRT rules only (callers skip the other kinds with unsupportedKindReason). */
export function ruleFromApi(rule: ApiRule): FromApi {
  const { where } = rule;
  if (!SUPPORTED_KINDS.includes(rule.kind)) refuse(where, unsupportedKindReason(rule.kind));
  const p = withoutNulls(rule.properties);
  const notes: string[] = [];
  for (const key of Object.keys(p)) {
    if (DROPPED.has(key)) {
      if (!isEmpty(p[key]))
        notes.push(
          `${key} ${JSON.stringify(p[key])} dropped: a preview-only first-run time; the rule runs on its schedule from when it is deployed`,
        );
    } else if (!KNOWN.has(key) && !IGNORED.has(key)) {
      refuse(where, `properties.${key} is not an alert-rule setting this repository's rule format can represent`);
    }
  }
  const text = (key: string): string => {
    const value = p[key];
    if (typeof value !== 'string') refuse(where, `properties.${key} must be a string, got ${JSON.stringify(value)}`);
    return normalizeNewlines(value);
  };
  const duration = (key: string): string | undefined =>
    p[key] === undefined ? undefined : yamlDuration(where, `properties.${key}`, p[key]);

  const out: Partial<RuleYaml> & Record<string, unknown> = {
    id: rule.id.toLowerCase(),
    name: text('displayName'),
    description: typeof p.description === 'string' ? normalizeNewlines(p.description) : '',
    severity: text('severity') as RuleYaml['severity'],
  };
  if (p.enabled === false) out.enabled = false;
  out.requiredDataConnectors = [];
  if (rule.kind === 'Scheduled') {
    out.queryFrequency = duration('queryFrequency');
    out.queryPeriod = duration('queryPeriod');
    const op = operatorFromApi(String(p.triggerOperator));
    if (!op)
      refuse(where, `properties.triggerOperator ${JSON.stringify(p.triggerOperator)} is not GreaterThan, LessThan, Equal or NotEqual`);
    out.triggerOperator = op;
    out.triggerThreshold = p.triggerThreshold as number;
  }
  if (p.suppressionEnabled === true) out.suppressionEnabled = true;
  const suppression = duration('suppressionDuration');
  // validate wants the duration whenever suppression is on; off, the service default goes unsaid.
  if (suppression !== undefined && (p.suppressionEnabled === true || suppression !== defaultSuppression()))
    out.suppressionDuration = suppression;
  out.tactics = strings(p.tactics);
  out.relevantTechniques = relevantTechniques(strings(p.techniques), strings(p.subTechniques));
  out.query = text('query');
  // null or [] is "no entity mappings": the key is left out (an empty list is not a valid rule).
  if (!isEmpty(p.entityMappings)) out.entityMappings = p.entityMappings as RuleYaml['entityMappings'];
  if (!isEmpty(p.sentinelEntitiesMappings))
    out.sentinelEntitiesMappings = p.sentinelEntitiesMappings as RuleYaml['sentinelEntitiesMappings'];
  if (p.customDetails && !isEmpty(p.customDetails)) out.customDetails = p.customDetails as Record<string, string>;
  if (p.alertDetailsOverride && !isEmpty(p.alertDetailsOverride))
    out.alertDetailsOverride = alertDetails(p.alertDetailsOverride as Record<string, unknown>);
  const aggregation = (p.eventGroupingSettings as { aggregationKind?: string } | undefined)?.aggregationKind;
  if (aggregation && aggregation !== SERVICE_DEFAULTS.eventGroupingSettings.aggregationKind)
    out.eventGroupingSettings = { aggregationKind: aggregation as 'AlertPerResult' };
  const incident = incidentConfiguration(where, p.incidentConfiguration as Record<string, unknown> | undefined);
  if (incident) out.incidentConfiguration = incident;
  if (typeof p.alertRuleTemplateName === 'string' && p.alertRuleTemplateName !== '') out.alertRuleTemplateName = p.alertRuleTemplateName;
  if (typeof p.templateVersion === 'string' && p.templateVersion !== '') out.templateVersion = p.templateVersion;
  out.version = '1.0.0';
  out.kind = rule.kind as RuleYaml['kind'];
  return { rule: out as RuleYaml, notes };
}

/** `PT1H` → `1h`; refuses what is not a whole number of minutes. */
export function yamlDuration(where: string, key: string, value: unknown): string {
  const minutes = typeof value === 'string' ? parseIsoDuration(value) : undefined;
  if (minutes === undefined) refuse(where, `${key} ${JSON.stringify(value)} is not an ISO 8601 duration such as PT5M, PT1H or P1D`);
  if (!Number.isInteger(minutes) || minutes <= 0)
    refuse(where, `${key} ${JSON.stringify(value)} is not a whole number of minutes; the rule format writes durations as 5m, 1h or 14d`);
  return toYamlDuration(minutes);
}

/** Sub-techniques replace their base technique (compile derives the base from them again). */
export function relevantTechniques(techniques: string[], subTechniques: string[]): string[] {
  const covered = new Set(subTechniques.map((s) => s.slice(0, 5)));
  return [...techniques.filter((t) => !covered.has(t)), ...subTechniques];
}

function incidentConfiguration(where: string, value: Record<string, unknown> | undefined): RuleYaml['incidentConfiguration'] | undefined {
  if (!value) return undefined;
  const create = value.createIncident !== false;
  const g = value.groupingConfiguration as Record<string, unknown> | undefined;
  const isDefault =
    !g ||
    (Object.entries(SERVICE_DEFAULTS.incidentConfiguration.groupingConfiguration).every(([k, v]) => g[k] === v) &&
      ['groupByEntities', 'groupByAlertDetails', 'groupByCustomDetails'].every((k) => isEmpty(g[k])));
  if (create && isDefault) return undefined;
  if (!g || isDefault) return { createIncident: create };
  return {
    createIncident: create,
    groupingConfiguration: {
      enabled: g.enabled === true,
      reopenClosedIncident: g.reopenClosedIncident === true,
      lookbackDuration: yamlDuration(where, 'properties.incidentConfiguration.groupingConfiguration.lookbackDuration', g.lookbackDuration),
      matchingMethod: g.matchingMethod as 'AllEntities',
      groupByEntities: strings(g.groupByEntities),
      groupByAlertDetails: strings(g.groupByAlertDetails),
      groupByCustomDetails: strings(g.groupByCustomDetails),
    },
  };
}

function alertDetails(o: Record<string, unknown>): NonNullable<RuleYaml['alertDetailsOverride']> {
  const out: Record<string, unknown> = {};
  for (const key of ['alertDisplayNameFormat', 'alertDescriptionFormat', 'alertTacticsColumnName', 'alertSeverityColumnName'] as const) {
    if (typeof o[key] === 'string' && o[key] !== '') out[key] = normalizeNewlines(o[key] as string);
  }
  if (Array.isArray(o.alertDynamicProperties) && o.alertDynamicProperties.length > 0) out.alertDynamicProperties = o.alertDynamicProperties;
  return out;
}

export function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.values(value).every(isEmpty);
  return false;
}

function withoutNulls(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));
}
