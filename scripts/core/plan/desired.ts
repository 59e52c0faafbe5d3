// The desired state of one workspace: the compiled rule and watchlist bodies (its api-version and
// overrides applied) and the ownership mark of each, as deploy would send them.
import type { Diagnostic } from '../diagnostics.ts';
import type { AlertRuleBody } from '../compile/alert-rule.ts';
import { compileSet } from '../compile/content.ts';
import { metadataName, ruleMetadata, watchlistMetadata, type MetadataBody } from '../compile/metadata.ts';
import { csvHeader, type WatchlistBody } from '../compile/watchlist.ts';
import { sentinelScope, type Workspace } from '../model/workspaces.ts';
import type { ParsedContent } from '../validate/validate.ts';

export interface DesiredRule {
  id: string;
  file: string;
  displayName: string;
  body: AlertRuleBody;
  markName: string;
  mark: MetadataBody;
}

export interface DesiredWatchlist {
  alias: string;
  file: string;
  body: WatchlistBody;
  markName: string;
  mark: MetadataBody;
  /** CSV header row: an empty watchlist is created with it. */
  header: string;
  /** Repository-relative CSV for the first items, when the definition has one. */
  bootstrapCsv?: string;
}

export interface DesiredState {
  rules: DesiredRule[];
  watchlists: DesiredWatchlist[];
  /** Compile diagnostics for this workspace (errors mean a rule could not be compiled for it). */
  diagnostics: Diagnostic[];
}

export function ruleParentId(ws: Workspace, id: string): string {
  return `${sentinelScope(ws)}/alertRules/${id}`;
}

export function watchlistParentId(ws: Workspace, alias: string): string {
  return `${sentinelScope(ws)}/watchlists/${alias}`;
}

export function desiredState(parsed: ParsedContent, ws: Workspace, repository: string): DesiredState {
  const set = compileSet(parsed, { label: ws.name, apiVersion: ws.apiVersion, overrides: ws.rules });
  const rules = set.alertRules.map((rule): DesiredRule => ({
    id: rule.id,
    file: rule.file,
    displayName: rule.yaml.name,
    body: rule.body,
    markName: metadataName('AnalyticsRule', rule.id),
    mark: ruleMetadata(rule.yaml, ruleParentId(ws, rule.id), repository),
  }));
  const watchlists = set.watchlists.map((w): DesiredWatchlist => ({
    alias: w.alias,
    file: w.file,
    body: w.body,
    markName: metadataName('Watchlist', w.alias),
    mark: watchlistMetadata(w.yaml, watchlistParentId(ws, w.alias), repository),
    header: csvHeader(w.yaml),
    ...(w.yaml.bootstrapCsv ? { bootstrapCsv: w.yaml.bootstrapCsv } : {}),
  }));
  return { rules, watchlists, diagnostics: set.diagnostics };
}
