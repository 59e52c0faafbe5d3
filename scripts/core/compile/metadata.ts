// The ownership mark: a Microsoft.SecurityInsights/metadata resource beside each deployed rule and
// watchlist, with source.kind "SourceRepository" and source.name = this repository. Operators see it in
// the portal (the rule's "Source name"); plan/deploy read it to know what this repository owns, and
// prune deletes only content that carries it. It is also where Sentinel keeps what the alert-rule body
// has no field for: the rule's version, author, support and categories, and its data connectors.
import type { RuleYaml, WatchlistYaml } from '../model/yaml-types.ts';

export const DEFAULT_REPOSITORY = 'sentinel-detections';

/** The repository name the ownership mark records: `repository:` in workspaces.yaml, else the default. */
export function repositoryName(config: { repository?: string } | undefined): string {
  return config?.repository ?? DEFAULT_REPOSITORY;
}
export const SOURCE_KIND = 'SourceRepository';

export type OwnedKind = 'AnalyticsRule' | 'Watchlist';

/** The rule's `metadata:` keys that the metadata resource carries (and import reads back). */
export const RULE_METADATA_KEYS = ['author', 'support', 'categories'] as const;

export interface MetadataBody {
  properties: Record<string, unknown>;
}

/** Metadata resource name for a rule or watchlist: stable, derived from the resource name. */
export function metadataName(kind: OwnedKind, resourceName: string): string {
  return `${kind === 'AnalyticsRule' ? 'analyticsrule' : 'watchlist'}-${resourceName.toLowerCase()}`;
}

/** `parentId` is the full ARM id of the rule or watchlist (workspace-specific). */
export function ruleMetadata(rule: RuleYaml, parentId: string, repository: string): MetadataBody {
  const properties: Record<string, unknown> = {
    kind: 'AnalyticsRule',
    contentId: rule.id.toLowerCase(),
    parentId,
    version: rule.version,
    source: { kind: SOURCE_KIND, name: repository, sourceId: repository },
    dependencies: {
      operator: 'AND',
      criteria: [...rule.requiredDataConnectors].map((c) => ({ kind: 'DataConnector', contentId: c.connectorId })),
    },
  };
  const m = (rule.metadata ?? {}) as Record<string, unknown>;
  for (const key of RULE_METADATA_KEYS) if (m[key] !== undefined) properties[key] = m[key];
  return { properties };
}

export function watchlistMetadata(w: WatchlistYaml, parentId: string, repository: string): MetadataBody {
  return {
    properties: { kind: 'Watchlist', contentId: w.alias, parentId, source: { kind: SOURCE_KIND, name: repository, sourceId: repository } },
  };
}

/** Whether a live metadata resource marks content as owned by `repository`. */
export function isOwnedBy(properties: Record<string, unknown>, repository: string): boolean {
  const source = properties.source as { kind?: unknown; name?: unknown } | undefined;
  return source?.kind === SOURCE_KIND && source.name === repository;
}
