// ARM deployment templates that embed the compiled REST bodies (compile/alert-rule.ts, watchlist.ts,
// metadata.ts): the single emit path, wrapped, never re-serialized field by field.
//
// Resource type: the legacy provider form
//   Microsoft.OperationalInsights/workspaces/providers/<alertRules|watchlists|metadata>
//   name [concat(parameters('workspace'), '/Microsoft.SecurityInsights/', '<name>')]
// because Sentinel Repositories deploys only that form, and `az deployment group create` takes it as
// well; the newer `Microsoft.SecurityInsights/alertRules` + `scope` form would shut Repositories out.
// Each template's only parameter is `workspace` (the Log Analytics workspace name). Resource names
// are the rule ids and watchlist aliases, never generated. apiVersion = the compile api-version.
//
// Each rule and watchlist carries its ownership mark (a metadata resource, compile/metadata.ts) so
// that plan/deploy recognise content deployed through ARM as this repository's. Repositories accepts
// templates with several resources of supported types; the metadata resource depends on its parent.
import type { WorkspacesYaml } from '../model/yaml-types.ts';
import type { CompiledRule } from './alert-rule.ts';
import type { CompiledSet } from './content.ts';
import { metadataName, repositoryName, ruleMetadata, watchlistMetadata, type OwnedKind } from './metadata.ts';
import type { CompiledWatchlist } from './watchlist.ts';

export const ARM_SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
const WORKSPACE_TYPE = 'Microsoft.OperationalInsights/workspaces/providers';
export const ARM_TYPES = {
  alertRule: `${WORKSPACE_TYPE}/alertRules`,
  watchlist: `${WORKSPACE_TYPE}/watchlists`,
  metadata: `${WORKSPACE_TYPE}/metadata`,
} as const;

export interface ArmResource {
  type: string;
  apiVersion: string;
  name: string;
  kind?: string;
  dependsOn?: string[];
  properties: Record<string, unknown>;
}

export interface ArmTemplate {
  $schema: string;
  contentVersion: string;
  parameters: { workspace: { type: 'string'; defaultValue?: string; metadata: { description: string } } };
  resources: ArmResource[];
}

export interface ArmOptions {
  apiVersion: string;
  /** Ownership mark: workspaces.yaml `repository`. Absent (no workspaces.yaml): no marks, there is no default name. */
  repository?: string;
  /** Default value of the `workspace` parameter (per-workspace builds). */
  workspace?: string;
}

/** ARM reads a string that starts with `[` and ends with `]` as an expression; `[[…]` is the literal `[…]`. */
export function armEscape(value: unknown): unknown {
  if (typeof value === 'string') return isExpressionLike(value) ? `[${value}` : value;
  if (Array.isArray(value)) return value.map(armEscape);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, armEscape(v)]));
  }
  return value;
}

/** The inverse of armEscape for a literal string (import). */
export function armUnescape(value: string): string {
  return value.startsWith('[[') && value.endsWith(']') ? value.slice(1) : value;
}

/** A string ARM evaluates: `[` first and `]` last (a string that only starts with `[` is a literal). */
export function isExpressionLike(value: string): boolean {
  return value.startsWith('[') && value.endsWith(']');
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** `[concat(parameters('workspace'), '/Microsoft.SecurityInsights/', '<name>')]` */
export function resourceName(name: string): string {
  return `[concat(parameters('workspace'), '/Microsoft.SecurityInsights/', ${literal(name)})]`;
}

/** `[resourceId('<type>', parameters('workspace'), 'Microsoft.SecurityInsights', '<name>')]` */
export function resourceIdExpression(type: string, name: string): string {
  return `[resourceId(${literal(type)}, parameters('workspace'), 'Microsoft.SecurityInsights', ${literal(name)})]`;
}

function metadataResource(
  kind: OwnedKind,
  parentType: string,
  parentName: string,
  body: { properties: Record<string, unknown> },
  apiVersion: string,
): ArmResource {
  const parentId = resourceIdExpression(parentType, parentName);
  // The body was built with a placeholder parent id; the expression is set after escaping literals.
  const properties = armEscape(body.properties) as Record<string, unknown>;
  properties.parentId = parentId;
  return { type: ARM_TYPES.metadata, apiVersion, name: resourceName(metadataName(kind, parentName)), dependsOn: [parentId], properties };
}

function ruleResources(rule: CompiledRule, options: ArmOptions): ArmResource[] {
  const resource: ArmResource = {
    type: ARM_TYPES.alertRule,
    apiVersion: rule.apiVersion,
    name: resourceName(rule.id),
    kind: rule.body.kind,
    properties: armEscape(rule.body.properties) as Record<string, unknown>,
  };
  if (options.repository === undefined) return [resource];
  // Stryker disable next-line StringLiteral: a placeholder parent id, replaced by the resourceId expression
  const mark = ruleMetadata(rule.yaml, '', options.repository);
  return [resource, metadataResource('AnalyticsRule', ARM_TYPES.alertRule, rule.id, mark, rule.apiVersion)];
}

function watchlistResources(w: CompiledWatchlist, options: ArmOptions): ArmResource[] {
  const resource: ArmResource = {
    type: ARM_TYPES.watchlist,
    apiVersion: options.apiVersion,
    name: resourceName(w.alias),
    properties: armEscape(w.body.properties) as Record<string, unknown>,
  };
  if (options.repository === undefined) return [resource];
  // Stryker disable next-line StringLiteral: a placeholder parent id, replaced by the resourceId expression
  const mark = watchlistMetadata(w.yaml, '', options.repository);
  return [resource, metadataResource('Watchlist', ARM_TYPES.watchlist, w.alias, mark, options.apiVersion)];
}

function armTemplate(resources: ArmResource[], workspace?: string): ArmTemplate {
  return {
    $schema: ARM_SCHEMA,
    contentVersion: '1.0.0.0',
    parameters: {
      workspace: {
        type: 'string',
        ...(workspace !== undefined ? { defaultValue: workspace } : {}),
        metadata: { description: 'Name of the Log Analytics workspace where Microsoft Sentinel is enabled.' },
      },
    },
    resources,
  };
}

/** `arm/alertRules/<id>.json`, `arm/watchlists/<alias>.json` and `arm/all.json` (watchlists first). */
export function armTemplates(set: CompiledSet, options: ArmOptions): Map<string, ArmTemplate> {
  const out = new Map<string, ArmTemplate>();
  const all: ArmResource[] = [];
  for (const w of set.watchlists) {
    const resources = watchlistResources(w, options);
    out.set(`arm/watchlists/${w.alias}.json`, armTemplate(resources, options.workspace));
    all.push(...resources);
  }
  for (const rule of set.alertRules) {
    const resources = ruleResources(rule, options);
    out.set(`arm/alertRules/${rule.id}.json`, armTemplate(resources, options.workspace));
    all.push(...resources);
  }
  out.set('arm/all.json', armTemplate(all, options.workspace));
  return out;
}

/** ArmOptions for a target: its api-version, the repository name from workspaces.yaml, the workspace's name. */
export function armOptionsFor(config: WorkspacesYaml | undefined, apiVersion: string, workspace?: string): ArmOptions {
  const repository = repositoryName(config);
  return { apiVersion, ...(repository !== undefined ? { repository } : {}), ...(workspace !== undefined ? { workspace } : {}) };
}
