// import --from-workspace: the alert rules live in one workspace → this repository's rule files,
// nested in a folder per group (the first table the query reads, by default), with what was left out
// and why. Pure: the command reads the workspace and writes the files.
//
// Each live rule is converted exactly as an ARM export's would be (ruleFromApi), so that the rule
// compiles back to what is live: `deploy --adopt` right after then writes only the ownership marks.
// Left out, with the reason: rules of other kinds (Fusion, …), rules this repository already marks as
// its own, rules another repository marks as its own. Refused, with the reason: a rule the rule format
// cannot represent (a duration in seconds, an unknown property).
import { InputError } from '../errors.ts';
import { isOwnedBy, SOURCE_KIND } from '../compile/metadata.ts';
import type { LiveAlertRule, LiveMetadata } from '../plan/types.ts';
import type { ResourceNote } from './arm-export.ts';
import { SUPPORTED_KINDS, unsupportedKindReason } from './from-api.ts';
import { finish, fromArm, type ImportedRule } from './import.ts';
import { slugOf } from './write-yaml.ts';

export const GROUP_BY = ['table', 'tactic', 'none'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

/** Where rules go when their group cannot be told (a query that reads no table by name). */
export const UNGROUPED = 'other';

export interface AdoptedRule extends ImportedRule {
  /** Folder under the output folder (empty with `none`). */
  folder: string;
}

export interface Adoption {
  rules: AdoptedRule[];
  skipped: ResourceNote[];
  refused: ResourceNote[];
}

export interface AdoptInput {
  /** Workspace label, for messages. */
  workspace: string;
  alertRules: readonly LiveAlertRule[];
  metadata: readonly LiveMetadata[];
  /** This repository's name (workspaces.yaml `repository:`): rules it already marks are not imported again. */
  repository?: string;
  groupBy: GroupBy;
  /** The first table a query reads (Kusto.Language), for `table`. */
  firstTable(query: string): string | undefined;
}

export function adoptRules(input: AdoptInput): Adoption {
  const marks = marksByRule(input.metadata);
  const out: Adoption = { rules: [], skipped: [], refused: [] };
  const sorted = [...input.alertRules].sort((a, b) =>
    a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : 0,
  );
  for (const live of sorted) {
    const title = typeof live.properties.displayName === 'string' ? ` (${live.properties.displayName})` : '';
    const where = `workspace ${input.workspace} alert rule ${live.name}${title}`;
    if (!SUPPORTED_KINDS.includes(live.kind)) {
      out.skipped.push({ where, reason: unsupportedKindReason(live.kind) });
      continue;
    }
    const mark = marks.get(live.name.toLowerCase());
    const source = mark?.properties.source as { kind?: unknown; name?: unknown } | undefined;
    if (mark && input.repository && isOwnedBy(mark.properties, input.repository)) {
      out.skipped.push({
        where,
        reason: 'already deployed by this repository (it carries its ownership mark): its source is the rule file, not the workspace',
      });
      continue;
    }
    if (source?.kind === SOURCE_KIND) {
      out.skipped.push({
        where,
        reason: `owned by repository '${String(source.name)}' (its ownership mark): adopt it there, or remove that mark first`,
      });
      continue;
    }
    try {
      // A solution's metadata (Content hub) gives the version, author, support and categories back.
      const { rule, notes } = fromArm({
        id: live.name,
        kind: live.kind,
        properties: live.properties,
        where,
        ...(mark ? { metadata: mark.properties } : {}),
      });
      const imported = finish(rule, notes);
      out.rules.push({ ...imported, folder: folderOf(input, rule.query, rule.tactics) });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      out.refused.push({ where, reason: error.message, ...(error.hint ? { hint: error.hint } : {}) });
    }
  }
  return out;
}

function folderOf(input: AdoptInput, query: string, tactics: readonly string[]): string {
  switch (input.groupBy) {
    case 'none':
      return '';
    case 'tactic':
      return tactics[0] ? slugOf(tactics[0].replace(/([a-z])([A-Z])/g, '$1 $2')) : UNGROUPED;
    case 'table': {
      const table = input.firstTable(query);
      return table ? slugOf(table) : UNGROUPED;
    }
  }
}

/** The AnalyticsRule metadata resource of each rule id (by parentId's last segment or contentId). */
function marksByRule(metadata: readonly LiveMetadata[]): Map<string, LiveMetadata> {
  const out = new Map<string, LiveMetadata>();
  for (const m of metadata) {
    if (m.properties.kind !== 'AnalyticsRule') continue;
    const parent = typeof m.properties.parentId === 'string' ? m.properties.parentId.split('/').at(-1) : undefined;
    const id = (parent || (typeof m.properties.contentId === 'string' ? m.properties.contentId : '')).toLowerCase();
    // A SourceRepository mark decides over a solution's metadata for the same rule.
    if (id && (!out.has(id) || (m.properties.source as { kind?: unknown } | undefined)?.kind === SOURCE_KIND)) out.set(id, m);
  }
  return out;
}
