// Layer (d): checks across files. Every collision names both files.
import type { Diagnostic } from '../diagnostics.ts';
import { parameterValueProblem } from '../model/parameters.ts';
import type { ParameterYaml } from '../model/yaml-types.ts';
import { didYouMean } from '../text/suggest.ts';
import type { YamlDocument } from '../yaml/document.ts';
import { asArray, asNumber, asRecord, asString } from '../guards.ts';
import { Reporter } from './report.ts';
import { FEED_DEFAULTS } from '../feed/settings.ts';

export interface RuleDocument {
  /** File name without .yaml: the key workspaces.yaml uses for overrides. */
  slug: string;
  doc: YamlDocument;
}

export function collectionDiagnostics(rules: readonly RuleDocument[], watchlists: readonly YamlDocument[], workspaces?: YamlDocument): Diagnostic[] {
  const out: Diagnostic[] = [];
  out.push(...duplicates(rules.map((r) => r.doc), 'id', 'collection.duplicate-id', 'rule id', (v) => v.toLowerCase(),
    'Every rule needs its own GUID: give the newer rule a fresh one (node -p "crypto.randomUUID()").'));
  out.push(...duplicates(rules.map((r) => r.doc), 'name', 'collection.duplicate-name', 'rule name', (v) => v.trim().toLowerCase(),
    'Two rules with one name are hard to tell apart in the portal: rename one.', 'warning'));
  out.push(...duplicates(watchlists, 'alias', 'collection.duplicate-alias', 'watchlist alias', (v) => v.toLowerCase(),
    'Watchlist aliases are unique per workspace (case-insensitive): rename one.'));
  if (workspaces) out.push(...workspaceDiagnostics(workspaces, rules, watchlists));
  out.push(...watchlistScoreDiagnostics(rules, watchlists, workspaces));
  return out;
}

function duplicates(docs: readonly YamlDocument[], key: string, code: string, label: string, normalize: (v: string) => string,
  hint: string, severity: 'error' | 'warning' = 'error'): Diagnostic[] {
  const first = new Map<string, YamlDocument>();
  const out: Diagnostic[] = [];
  for (const doc of docs) {
    const value = asString(asRecord(doc.value)?.[key]);
    if (!value) continue;
    const normalized = normalize(value);
    const earlier = first.get(normalized);
    if (!earlier) {
      first.set(normalized, doc);
      continue;
    }
    const report = new Reporter(doc);
    const at = earlier.locate([key]);
    report[severity]([key], code, `${label} '${value}' is also used by ${earlier.file}:${at.line}`, hint);
    out.push(...report.diagnostics);
  }
  return out;
}

function workspaceDiagnostics(doc: YamlDocument, rules: readonly RuleDocument[], watchlists: readonly YamlDocument[]): Diagnostic[] {
  const report = new Reporter(doc);
  const environments = asRecord(asRecord(doc.value)?.environments) ?? {};
  const names = new Map<string, string>();
  const ruleBySlug = new Map(rules.map((r) => [r.slug, asRecord(r.doc.value) ?? {}]));
  const aliases = watchlists.map((w) => asString(asRecord(w.value)?.alias)).filter((a): a is string => !!a);

  for (const [env, list] of Object.entries(environments)) {
    const targets = new Map<string, string>();
    asArray(list).forEach((raw, index) => {
      const ws = asRecord(raw);
      if (!ws) return;
      const base = ['environments', env, index];
      const name = asString(ws.name);
      if (name) {
        const other = names.get(name.toLowerCase());
        if (other) report.error([...base, 'name'], 'workspaces.duplicate-name', `workspace name '${name}' is already used in ${other}`, 'Workspace names label reports and --workspace filters: make each unique.');
        else names.set(name.toLowerCase(), `environment ${env}`);
      }
      const target = [ws.subscriptionId, ws.resourceGroup, ws.workspace].map((v) => String(v).toLowerCase()).join('/');
      const twin = targets.get(target);
      if (twin) report.error([...base, 'workspace'], 'workspaces.duplicate-target', `this Log Analytics workspace is already listed in ${env} as '${twin}'`, 'List each workspace once per environment.');
      else targets.set(target, name ?? String(index));

      for (const [slug, rawOverride] of Object.entries(asRecord(ws.rules) ?? {})) {
        const rule = ruleBySlug.get(slug);
        if (!rule) {
          report.error([...base, 'rules', slug], 'workspaces.unknown-rule', `no rule file rules/${slug}.yaml`, didYouMean(slug, ruleBySlug.keys()) ?? 'Overrides are keyed by the rule file name without .yaml.', 'key');
          continue;
        }
        checkParameterOverrides(report, [...base, 'rules', slug], asRecord(rawOverride), rule, slug);
      }
      for (const alias of Object.keys(asRecord(ws.watchlists) ?? {})) {
        if (!aliases.includes(alias)) {
          report.error([...base, 'watchlists', alias], 'workspaces.unknown-watchlist', `no watchlist with alias '${alias}' in watchlists/`, didYouMean(alias, aliases), 'key');
        }
      }
    });
  }
  return report.diagnostics;
}

function checkParameterOverrides(report: Reporter, base: (string | number)[], override: Record<string, unknown> | undefined, rule: Record<string, unknown>, slug: string): void {
  const declared = (asRecord(rule.parameters) ?? {}) as Record<string, ParameterYaml>;
  for (const [name, value] of Object.entries(asRecord(override?.parameters) ?? {})) {
    const decl = declared[name];
    if (!decl) {
      const names = Object.keys(declared);
      report.error([...base, 'parameters', name], 'workspaces.unknown-parameter', `rule ${slug} has no parameter '${name}'`,
        didYouMean(name, names) ?? (names.length ? `Its parameters: ${names.join(', ')}.` : 'The rule declares no parameters.'), 'key');
      continue;
    }
    const problem = parameterValueProblem(decl, value);
    if (problem) report.error([...base, 'parameters', name], 'workspaces.parameter-value', `${name}: ${problem}`, decl.description);
  }
}

// A parameter declared `watchlistScore: <alias>` filters that watchlist's Score column. The sync keeps
// stored scores exact only at the feed's entry level and its scoreThresholds, so every value in use
// must be one of those, or alerts would silently depend on stale scores.
function watchlistScoreDiagnostics(rules: readonly RuleDocument[], watchlists: readonly YamlDocument[], workspaces?: YamlDocument): Diagnostic[] {
  const out: Diagnostic[] = [];
  const feeds = new Map<string, { doc: YamlDocument; minScore: number; thresholds: number[] }>();
  for (const doc of watchlists) {
    const w = asRecord(doc.value);
    const feed = asRecord(w?.feed);
    const alias = asString(w?.alias);
    if (alias && feed) feeds.set(alias, { doc, minScore: asNumber(feed.minScore) ?? FEED_DEFAULTS.minScore, thresholds: asArray(feed.scoreThresholds).map(Number) });
  }
  const environments = asRecord(asRecord(workspaces?.value)?.environments) ?? {};
  for (const { slug, doc } of rules) {
    for (const [name, raw] of Object.entries(asRecord(asRecord(doc.value)?.parameters) ?? {})) {
      const decl = raw as ParameterYaml;
      const alias = asString(asRecord(raw)?.watchlistScore);
      if (!alias) continue;
      const feed = feeds.get(alias);
      if (!feed) {
        const report = new Reporter(doc);
        report.error(['parameters', name, 'watchlistScore'], 'collection.unknown-watchlist', `no watchlist with alias '${alias}' and a feed in watchlists/`, didYouMean(alias, feeds.keys()));
        out.push(...report.diagnostics);
        continue;
      }
      if (!workspaces) continue;
      const report = new Reporter(workspaces);
      for (const [env, list] of Object.entries(environments)) {
        asArray(list).forEach((ws, index) => {
          const value = asRecord(asRecord(asRecord(asRecord(ws)?.rules)?.[slug])?.parameters)?.[name];
          if (typeof value !== 'number' || value === feed.minScore || feed.thresholds.includes(value)) return;
          if (parameterValueProblem(decl, value)) return; // already reported as workspaces.parameter-value
          report.error(['environments', env, index, 'rules', slug, 'parameters', name], 'collection.watchlist-score',
            value < feed.minScore
              ? `${name} ${value} is below watchlist ${alias}'s minScore ${feed.minScore}: those addresses are never in the watchlist`
              : `${name} ${value} filters watchlist ${alias}'s Score, but the sync only keeps scores exact at ${[feed.minScore, ...feed.thresholds].join(', ')}`,
            value < feed.minScore ? `Use ${feed.minScore} or more.` : `Add ${value} to feed.scoreThresholds in ${feed.doc.file}.`);
        });
      }
      out.push(...report.diagnostics);
    }
  }
  return out;
}
