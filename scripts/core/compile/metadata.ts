// The ownership mark: a Microsoft.SecurityInsights/metadata resource beside each deployed rule and
// watchlist, with source.kind "SourceRepository" and source.name = this repository. Operators see it in
// the portal (the rule's "Source name"); plan/deploy read it to know what this repository owns, and
// prune deletes only content that carries it. It is also where Sentinel keeps what the alert-rule body
// has no field for: the rule's version, author, support and categories, and its data connectors.
import { ConfigError } from '../errors.ts';
import type { RuleYaml, WatchlistYaml } from '../model/yaml-types.ts';

/**
 * The name this template ships with in workspaces.yaml. Two repositories must never share a name (each
 * would take the other's content for its own), so plan, deploy and sync refuse to run with it.
 */
export const TEMPLATE_REPOSITORY = 'your-org/sentinel-detections';

/** The repository name the ownership mark records: `repository:` in workspaces.yaml (required; no default). */
export function repositoryName(config: { repository?: string } | undefined): string | undefined {
  return config?.repository;
}

/**
 * The repository name for commands that read or write marks in a workspace. Refused: none at all, the
 * template's placeholder, and, in GitHub Actions (GITHUB_REPOSITORY), another repository's name — a
 * copy of this template that kept the name would otherwise prune and adopt the original's content.
 */
export function markingRepository(config: { repository?: string } | undefined, configFile: string, githubRepository?: string): string {
  const name = config?.repository;
  const fix = `Set \`repository: <owner>/<name>\` in ${configFile} to this repository's GitHub owner/name; it must be unique to this repository.`;
  if (!name)
    throw new ConfigError(`${configFile} has no \`repository:\`: it names the owner of everything deploy creates`, configFile, fix);
  if (name.toLowerCase() === TEMPLATE_REPOSITORY) {
    throw new ConfigError(
      `${configFile} still has the template's repository name ${TEMPLATE_REPOSITORY}: every copy of the template would share it`,
      configFile,
      fix,
    );
  }
  if (githubRepository && githubRepository.toLowerCase() !== name.toLowerCase()) {
    throw new ConfigError(
      `${configFile} says repository: ${name}, but this workflow runs in ${githubRepository}`,
      configFile,
      `A copy of another repository must not act under its name: set \`repository: ${githubRepository}\` in ${configFile}.`,
    );
  }
  return name;
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

/**
 * Whether a live mark is exactly the one deploy writes for this resource: its name, kind and contentId
 * all name it (a mark written by hand under another name, or pointing elsewhere, proves nothing).
 */
export function isExactMark(mark: { name: string; properties: Record<string, unknown> }, kind: OwnedKind, resourceName: string): boolean {
  const contentId = mark.properties.contentId;
  return (
    mark.name.toLowerCase() === metadataName(kind, resourceName) &&
    mark.properties.kind === kind &&
    typeof contentId === 'string' &&
    contentId.toLowerCase() === resourceName.toLowerCase()
  );
}
