// Validated content → compiled REST bodies for one target (the defaults, or one workspace).
import { appendAll } from '../diagnostics.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { RuleModel } from '../model/rule.ts';
import type { RuleOverrideYaml, RuleYaml, WatchlistYaml } from '../model/yaml-types.ts';
import type { ParsedContent } from '../validate/validate.ts';
import { compileAlertRule, type CompiledRule } from './alert-rule.ts';
import { DEFAULT_API_VERSION, NRT_API_VERSION } from './api-versions.ts';
import { compileWatchlist, type CompiledWatchlist } from './watchlist.ts';
import { compareText } from '../text/compare.ts';

export interface CompileTarget {
  /** Workspace label for messages; absent for the default build. */
  label?: string;
  apiVersion: string;
  /**
   * NRT rules compile for this api-version instead (BUILD_TARGET uses NRT_API_VERSION: it is bound
   * to no workspace). Absent: NRT rules use apiVersion, and a stable one refuses them.
   */
  nrtApiVersion?: string;
  /** Per-rule overrides keyed by slug. */
  overrides: Record<string, RuleOverrideYaml>;
}

/** The default build (out/api, out/arm) and the version lock: no workspace, no overrides. */
export const BUILD_TARGET: CompileTarget = { apiVersion: DEFAULT_API_VERSION, nrtApiVersion: NRT_API_VERSION, overrides: {} };

/** The api-version a rule compiles for on a target. */
export function ruleApiVersion(rule: Pick<RuleYaml, 'kind'>, target: CompileTarget): string {
  return rule.kind === 'NRT' && target.nrtApiVersion ? target.nrtApiVersion : target.apiVersion;
}

export interface CompiledSet {
  alertRules: CompiledRule[];
  watchlists: CompiledWatchlist[];
  diagnostics: Diagnostic[];
}

/** Rule models of content that validated clean (call only then: the YAML shapes are trusted). */
export function ruleModels(parsed: ParsedContent): RuleModel[] {
  return parsed.rules.map(({ slug, doc }) => ({
    file: doc.file,
    slug,
    yaml: doc.value as RuleYaml,
    doc,
    lets: parsed.lets.get(slug) ?? [],
  }));
}

export function watchlistDefinitions(parsed: ParsedContent): { file: string; yaml: WatchlistYaml }[] {
  return parsed.watchlists.map((doc) => ({ file: doc.file, yaml: doc.value as WatchlistYaml }));
}

export function compileSet(parsed: ParsedContent, target: CompileTarget = BUILD_TARGET): CompiledSet {
  const alertRules: CompiledRule[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const rule of ruleModels(parsed)) {
    const result = compileAlertRule(rule, ruleApiVersion(rule.yaml, target), target.overrides[rule.slug], target.label);
    if (result.ok) {
      alertRules.push(result.rule);
      appendAll(diagnostics, result.warnings);
    } else {
      appendAll(diagnostics, result.diagnostics);
    }
  }
  const watchlists = watchlistDefinitions(parsed).map((w) => compileWatchlist(w.yaml, w.file));
  alertRules.sort((a, b) => compareText(a.id, b.id));
  watchlists.sort((a, b) => compareText(a.alias, b.alias));
  return { alertRules, watchlists, diagnostics };
}
