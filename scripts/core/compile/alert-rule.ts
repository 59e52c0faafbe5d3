// The single emit path for alert rules: rule model (+ a workspace's overrides) → the exact REST PUT body
// {kind, properties} for an api-version. The ARM templates embed the same body.
//
// Where the YAML keys go (docs/build.md):
//   name → displayName, description, severity, enabled (default true), query (parameters applied),
//   queryFrequency/queryPeriod/suppressionDuration/lookbackDuration → ISO 8601, triggerOperator gt → GreaterThan,
//   triggerThreshold, tactics, relevantTechniques → techniques (+ subTechniques where the api-version has them),
//   entityMappings, customDetails, alertDetailsOverride, eventGroupingSettings, incidentConfiguration,
//   alertRuleTemplateName, templateVersion: as written, with the service's defaults filled in so that a
//   live rule compares equal. sentinelEntitiesMappings: as written where the api-version has it.
//   id → the resource name. version, requiredDataConnectors, metadata → the Sentinel metadata resource
//   (ownership mark, see compile/metadata.ts). tags, status, parameters, hunting → nowhere (repository-only).
import type { Diagnostic } from '../diagnostics.ts';
import { parseDuration, toIsoDuration } from '../model/duration.ts';
import { renderKqlLiteral, substituteLets } from '../model/parameters.ts';
import { OPERATORS, splitTechniques, type RuleModel } from '../model/rule.ts';
import type { RuleOverrideYaml, RuleYaml } from '../model/yaml-types.ts';
import { capabilities, NRT_API_VERSION } from './api-versions.ts';
import { SERVICE_DEFAULTS } from './defaults.ts';

export interface AlertRuleBody {
  kind: 'Scheduled' | 'NRT';
  properties: Record<string, unknown>;
}

export interface CompiledRule {
  id: string;
  file: string;
  /** The rule as written: what its ownership mark (compile/metadata.ts) records. */
  yaml: RuleYaml;
  /** The api-version the body is written for (ARM templates use it as the resource's apiVersion). */
  apiVersion: string;
  body: AlertRuleBody;
}

export type CompileResult = { ok: true; rule: CompiledRule; warnings: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

export function compileAlertRule(
  rule: RuleModel,
  apiVersion: string,
  override: RuleOverrideYaml = {},
  workspaceLabel?: string,
): CompileResult {
  const y = rule.yaml;
  const caps = capabilities(apiVersion);
  // Every message names the api-version already; a workspace's own set is named too.
  const where = workspaceLabel ? ` (workspace ${workspaceLabel})` : '';

  if (y.kind === 'NRT' && !caps.nrt) {
    return {
      ok: false,
      diagnostics: [
        rule.doc.diagnostic(
          ['kind'],
          'compile.nrt-unsupported',
          'error',
          `NRT rules do not exist in api-version ${apiVersion}${where}`,
          `Set apiVersion: ${NRT_API_VERSION} on the workspace in workspaces.yaml, or change kind to Scheduled.`,
        ),
      ],
    };
  }

  const warnings: Diagnostic[] = [];
  const { techniques, subTechniques } = splitTechniques(y.relevantTechniques);
  if (subTechniques.length > 0 && !caps.subTechniques) {
    warnings.push(
      rule.doc.diagnostic(
        ['relevantTechniques'],
        'compile.sub-technique-dropped',
        'warning',
        `sub-techniques ${subTechniques.join(', ')} are sent as ${[...new Set(subTechniques.map((s) => s.slice(0, 5)))].join(', ')}: api-version ${apiVersion} has no subTechniques field${where}`,
        'Nothing to do unless the sub-technique matters in the portal; a preview api-version keeps it.',
      ),
    );
  }

  if (y.sentinelEntitiesMappings && !caps.sentinelEntitiesMappings) {
    warnings.push(
      rule.doc.diagnostic(
        ['sentinelEntitiesMappings'],
        'compile.sentinel-entities-dropped',
        'warning',
        `sentinelEntitiesMappings is not sent: api-version ${apiVersion} has no such field${where}`,
        `Set apiVersion: ${NRT_API_VERSION} on the workspaces that should get it (workspaces.yaml), or remove the key.`,
        'key',
      ),
    );
  }

  const properties: Record<string, unknown> = {
    displayName: y.name,
    description: y.description.trimEnd(),
    severity: override.severity ?? y.severity,
    enabled: override.enabled ?? y.enabled ?? true,
    query: applyParameters(rule, override),
    suppressionEnabled: y.suppressionEnabled ?? SERVICE_DEFAULTS.suppressionEnabled,
    suppressionDuration: iso(y.suppressionDuration) ?? SERVICE_DEFAULTS.suppressionDuration,
    tactics: [...y.tactics],
    techniques,
    eventGroupingSettings: {
      aggregationKind: y.eventGroupingSettings?.aggregationKind ?? SERVICE_DEFAULTS.eventGroupingSettings.aggregationKind,
    },
    incidentConfiguration: incidentConfiguration(y),
  };
  if (caps.subTechniques && subTechniques.length > 0) properties.subTechniques = subTechniques;
  if (y.entityMappings) {
    properties.entityMappings = y.entityMappings.map((m) => ({
      entityType: m.entityType,
      fieldMappings: m.fieldMappings.map((f) => ({ identifier: f.identifier, columnName: f.columnName })),
    }));
  }
  if (y.sentinelEntitiesMappings && caps.sentinelEntitiesMappings)
    properties.sentinelEntitiesMappings = y.sentinelEntitiesMappings.map((m) => ({ columnName: m.columnName }));
  if (y.alertRuleTemplateName !== undefined) properties.alertRuleTemplateName = y.alertRuleTemplateName;
  if (y.templateVersion !== undefined) properties.templateVersion = y.templateVersion;
  if (y.kind === 'Scheduled') {
    properties.queryFrequency = iso(y.queryFrequency);
    properties.queryPeriod = iso(y.queryPeriod);
    properties.triggerOperator = OPERATORS[y.triggerOperator!];
    properties.triggerThreshold = y.triggerThreshold;
  }
  if (y.customDetails && Object.keys(y.customDetails).length > 0) properties.customDetails = { ...y.customDetails };
  if (y.alertDetailsOverride) properties.alertDetailsOverride = alertDetailsOverride(y.alertDetailsOverride);

  return { ok: true, rule: { id: y.id.toLowerCase(), file: rule.file, yaml: y, apiVersion, body: { kind: y.kind, properties } }, warnings };
}

/** The query with the workspace's parameter values in place of the let defaults. */
export function applyParameters(rule: RuleModel, override: RuleOverrideYaml): string {
  const values = new Map<string, string>();
  for (const [name, value] of Object.entries(override.parameters ?? {})) {
    const decl = rule.yaml.parameters?.[name];
    if (decl) values.set(name, renderKqlLiteral(decl.type, value));
  }
  return substituteLets(rule.yaml.query, rule.lets, values).trimEnd();
}

function incidentConfiguration(y: RuleYaml): Record<string, unknown> {
  const grouping = y.incidentConfiguration?.groupingConfiguration;
  return {
    createIncident: y.incidentConfiguration?.createIncident ?? SERVICE_DEFAULTS.incidentConfiguration.createIncident,
    groupingConfiguration: grouping
      ? {
          enabled: grouping.enabled,
          reopenClosedIncident: grouping.reopenClosedIncident,
          lookbackDuration: iso(grouping.lookbackDuration),
          matchingMethod: grouping.matchingMethod,
          groupByEntities: [...(grouping.groupByEntities ?? [])],
          groupByAlertDetails: [...(grouping.groupByAlertDetails ?? [])],
          groupByCustomDetails: [...(grouping.groupByCustomDetails ?? [])],
        }
      : {
          ...SERVICE_DEFAULTS.incidentConfiguration.groupingConfiguration,
          groupByEntities: [],
          groupByAlertDetails: [],
          groupByCustomDetails: [],
        },
  };
}

function alertDetailsOverride(o: NonNullable<RuleYaml['alertDetailsOverride']>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (o.alertDisplayNameFormat !== undefined) out.alertDisplayNameFormat = o.alertDisplayNameFormat.trimEnd();
  if (o.alertDescriptionFormat !== undefined) out.alertDescriptionFormat = o.alertDescriptionFormat.trimEnd();
  if (o.alertTacticsColumnName !== undefined) out.alertTacticsColumnName = o.alertTacticsColumnName;
  if (o.alertSeverityColumnName !== undefined) out.alertSeverityColumnName = o.alertSeverityColumnName;
  if (o.alertDynamicProperties !== undefined)
    out.alertDynamicProperties = o.alertDynamicProperties.map((p) => ({ alertProperty: p.alertProperty, value: p.value }));
  return out;
}

function iso(duration: string | undefined): string | undefined {
  const minutes = parseDuration(duration);
  return minutes === undefined ? undefined : toIsoDuration(minutes);
}
