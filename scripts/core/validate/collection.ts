// Layer (d): checks across files. Every collision names both files.
import { appendAll } from '../diagnostics.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { parameterValueProblem } from '../model/parameters.ts';
import type { ParameterValue, ParameterYaml } from '../model/yaml-types.ts';
import { didYouMean } from '../text/suggest.ts';
import type { YamlDocument } from '../yaml/document.ts';
import { asArray, asNumber, asRecord, asString } from '../guards.ts';
import { Reporter } from './report.ts';
import { FEED_DEFAULTS } from '../feed/settings.ts';
import { parameterOverrides, workspaceEntries, type WorkspaceEntry } from './workspace-entries.ts';

export interface RuleDocument {
  /** Path under rules/ without .yaml (validate.ts slugOf): the key workspaces.yaml uses for overrides. */
  slug: string;
  doc: YamlDocument;
}

/** One workspace's override values for one rule that the rule's parameter declarations accept. */
export interface AcceptedOverrides {
  entry: WorkspaceEntry;
  values: Map<string, ParameterValue>;
}

export interface CollectionResult {
  diagnostics: Diagnostic[];
  /** Per rule, in file order, the workspaces that override its parameters and their accepted values
   *  (rejected ones are reported here once; later layers use only these). */
  overrides: Map<RuleDocument, AcceptedOverrides[]>;
}

/**
 * `unreadable`: override keys (slugs) of rule files that exist but could not be read as rules (a YAML
 * syntax error, not a rule, too large, a link leading outside): workspaces.yaml overrides of them are
 * not "unknown rules", their own file's error says what is wrong.
 */
export function collectionDiagnostics(
  rules: readonly RuleDocument[],
  watchlists: readonly YamlDocument[],
  workspaces?: YamlDocument,
  unreadable: ReadonlySet<string> = new Set(),
): CollectionResult {
  const out: Diagnostic[] = [];
  appendAll(
    out,
    duplicates(
      rules.map((r) => r.doc),
      'id',
      'collection.duplicate-id',
      'rule id',
      (v) => v.toLowerCase(),
      'Every rule needs its own GUID: give the newer rule a fresh one (node -p "crypto.randomUUID()").',
    ),
  );
  appendAll(
    out,
    duplicates(
      rules.map((r) => r.doc),
      'name',
      'collection.duplicate-name',
      'rule name',
      (v) => v.trim().toLowerCase(),
      'Two rules with one name are hard to tell apart in the portal: rename one.',
      'warning',
    ),
  );
  appendAll(out, duplicateSlugs(rules));
  appendAll(
    out,
    duplicates(
      watchlists,
      'alias',
      'collection.duplicate-alias',
      'watchlist alias',
      (v) => v.toLowerCase(),
      'Watchlist aliases are unique per workspace (case-insensitive): rename one.',
    ),
  );
  const overrides = new Map<RuleDocument, AcceptedOverrides[]>();
  if (workspaces) {
    const entries = workspaceEntries(workspaces);
    appendAll(out, workspaceDiagnostics(workspaces, entries, rules, watchlists, unreadable));
    const report = new Reporter(workspaces);
    // Overrides are keyed by slug: when two files share one, the last is the one they are reported against.
    const reported = new Map(rules.map((r) => [r.slug, r]));
    for (const rule of rules) overrides.set(rule, acceptedOverrides(rule, entries, reported.get(rule.slug) === rule ? report : undefined));
    appendAll(out, report.diagnostics);
  }
  appendAll(out, watchlistScoreDiagnostics(rules, watchlists, workspaces, overrides));
  return { diagnostics: out, overrides };
}

/**
 * Values that two or more files share: reported on every one of them, each pointing at the others, so
 * that validating any one file alone (a pull request's new copy) finds the collision on that file.
 */
function duplicates(
  docs: readonly YamlDocument[],
  key: string,
  code: string,
  label: string,
  normalize: (v: string) => string,
  hint: string,
  severity: 'error' | 'warning' = 'error',
): Diagnostic[] {
  const groups = new Map<string, { doc: YamlDocument; value: string }[]>();
  for (const doc of docs) {
    const value = asString(asRecord(doc.value)?.[key]);
    if (!value) continue;
    const normalized = normalize(value);
    groups.set(normalized, [...(groups.get(normalized) ?? []), { doc, value }]);
  }
  const out: Diagnostic[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    for (const { doc, value } of group) {
      const others = group.filter((g) => g.doc !== doc).map((g) => `${g.doc.file}:${g.doc.locate([key]).line}`);
      const report = new Reporter(doc);
      report[severity]([key], code, `${label} '${value}' is also used by ${others.join(', ')}`, hint);
      appendAll(out, report.diagnostics);
    }
  }
  return out;
}

// `x.yaml` beside `x.yml`, or paths that differ only in case, would share one override key (and are
// one file on Windows and macOS checkouts).
function duplicateSlugs(rules: readonly RuleDocument[]): Diagnostic[] {
  const first = new Map<string, RuleDocument>();
  const out: Diagnostic[] = [];
  for (const rule of rules) {
    const key = rule.slug.toLowerCase();
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, rule);
      continue;
    }
    out.push({
      code: 'collection.duplicate-slug',
      severity: 'error',
      file: rule.doc.file,
      line: 1,
      column: 1,
      message: `rule files ${earlier.doc.file} and ${rule.doc.file} have one override key '${earlier.slug}' in workspaces.yaml (paths equal but for case or .yaml/.yml)`,
      hint: 'Rename one of the two files.',
    });
  }
  return out;
}

/** Hint for an override key that names no rule: the nested rule of that file name, else the closest key. */
function unknownRuleHint(key: string, slugs: ReadonlySet<string>): string {
  const nested = [...slugs].filter((s) => s.endsWith(`/${key}`));
  if (nested.length > 0) {
    return `Rules in sub-folders are keyed by their path under rules/ without .yaml: ${nested.map((s) => `'${s}'`).join(' or ')}.`;
  }
  return (
    didYouMean(key, slugs) ??
    "Overrides are keyed by the rule file's path under rules/ without .yaml (e.g. my-rule, or network/my-rule for rules/network/my-rule.yaml)."
  );
}

function workspaceDiagnostics(
  doc: YamlDocument,
  entries: readonly WorkspaceEntry[],
  rules: readonly RuleDocument[],
  watchlists: readonly YamlDocument[],
  unreadable: ReadonlySet<string>,
): Diagnostic[] {
  const report = new Reporter(doc);
  const names = new Map<string, string>();
  const targets = new Map<string, Map<string, string>>();
  const slugs = new Set(rules.map((r) => r.slug));
  const aliases = watchlists.map((w) => asString(asRecord(w.value)?.alias)).filter((a): a is string => !!a);

  for (const { env, index, ws, name, path } of entries) {
    if (name) {
      const other = names.get(name.toLowerCase());
      if (other)
        report.error(
          [...path, 'name'],
          'workspaces.duplicate-name',
          `workspace name '${name}' is already used in ${other}`,
          'Workspace names label reports and --workspace filters: make each unique.',
        );
      else names.set(name.toLowerCase(), `environment ${env}`);
    }
    const inEnv = targets.get(env) ?? new Map<string, string>();
    targets.set(env, inEnv);
    const target = [ws.subscriptionId, ws.resourceGroup, ws.workspace].map((v) => String(v).toLowerCase()).join('/');
    const twin = inEnv.get(target);
    if (twin)
      report.error(
        [...path, 'workspace'],
        'workspaces.duplicate-target',
        `this Log Analytics workspace is already listed in ${env} as '${twin}'`,
        'List each workspace once per environment.',
      );
    else inEnv.set(target, name ?? String(index));

    for (const slug of Object.keys(asRecord(ws.rules) ?? {})) {
      if (slugs.has(slug)) continue;
      const unread = [...unreadable].find((u) => u.toLowerCase() === slug.toLowerCase());
      if (unread !== undefined) {
        report.warning(
          [...path, 'rules', slug],
          'workspaces.rule-unreadable',
          `rule ${slug} could not be read, so its overrides here are not checked`,
          `Fix the errors reported in its rule file; these overrides are checked again once it reads.`,
          'key',
        );
      } else {
        report.error(
          [...path, 'rules', slug],
          'workspaces.unknown-rule',
          `no rule file rules/${slug}.yaml`,
          unknownRuleHint(slug, slugs),
          'key',
        );
      }
    }
    for (const alias of Object.keys(asRecord(ws.watchlists) ?? {})) {
      if (!aliases.includes(alias)) {
        report.error(
          [...path, 'watchlists', alias],
          'workspaces.unknown-watchlist',
          `no watchlist with alias '${alias}' in watchlists/`,
          didYouMean(alias, aliases),
          'key',
        );
      }
    }
  }
  return report.diagnostics;
}

/**
 * Each workspace's overrides of the rule's parameters, with the values its declarations accept.
 * Reports undeclared parameters and rejected values when `report` is given. A declaration without
 * a type checks nothing (the schema layer reports it).
 */
function acceptedOverrides(rule: RuleDocument, entries: readonly WorkspaceEntry[], report?: Reporter): AcceptedOverrides[] {
  const declared = asRecord(asRecord(rule.doc.value)?.parameters) ?? {};
  const out: AcceptedOverrides[] = [];
  for (const entry of entries) {
    const overrides = parameterOverrides(entry, rule.slug);
    if (!overrides) continue;
    const values = new Map<string, ParameterValue>();
    for (const [name, value] of Object.entries(overrides)) {
      const path = [...entry.path, 'rules', rule.slug, 'parameters', name];
      const decl = Object.hasOwn(declared, name) ? declared[name] : undefined;
      if (!decl) {
        const names = Object.keys(declared);
        report?.error(
          path,
          'workspaces.unknown-parameter',
          `rule ${rule.slug} has no parameter '${name}'`,
          didYouMean(name, names) ?? (names.length ? `Its parameters: ${names.join(', ')}.` : 'The rule declares no parameters.'),
          'key',
        );
        continue;
      }
      if (typeof asRecord(decl)?.type !== 'string') continue;
      const problem = parameterValueProblem(decl as ParameterYaml, value);
      if (problem) report?.error(path, 'workspaces.parameter-value', `${name}: ${problem}`, (decl as ParameterYaml).description);
      else values.set(name, value as ParameterValue);
    }
    out.push({ entry, values });
  }
  return out;
}

// A parameter declared `watchlistScore: <alias>` filters that watchlist's Score column. The sync keeps
// stored scores exact only at the feed's entry level and its scoreThresholds, so every value in use
// must be one of those, or alerts would silently depend on stale scores.
function watchlistScoreDiagnostics(
  rules: readonly RuleDocument[],
  watchlists: readonly YamlDocument[],
  workspaces: YamlDocument | undefined,
  overrides: ReadonlyMap<RuleDocument, readonly AcceptedOverrides[]>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const feeds = new Map<string, { doc: YamlDocument; minScore: number; thresholds: number[] }>();
  for (const doc of watchlists) {
    const w = asRecord(doc.value);
    const feed = asRecord(w?.feed);
    const alias = asString(w?.alias);
    if (alias && feed)
      feeds.set(alias, {
        doc,
        minScore: asNumber(feed.minScore) ?? FEED_DEFAULTS.minScore,
        thresholds: asArray(feed.scoreThresholds).map(Number),
      });
  }
  for (const rule of rules) {
    for (const [name, raw] of Object.entries(asRecord(asRecord(rule.doc.value)?.parameters) ?? {})) {
      const alias = asString(asRecord(raw)?.watchlistScore);
      if (!alias) continue;
      const feed = feeds.get(alias);
      if (!feed) {
        const report = new Reporter(rule.doc);
        report.error(
          ['parameters', name, 'watchlistScore'],
          'collection.unknown-watchlist',
          `no watchlist with alias '${alias}' and a feed in watchlists/`,
          didYouMean(alias, feeds.keys()),
        );
        appendAll(out, report.diagnostics);
        continue;
      }
      if (!workspaces) continue;
      const report = new Reporter(workspaces);
      // Accepted values only: a rejected one is already a workspaces.parameter-value.
      for (const { entry, values } of overrides.get(rule) ?? []) {
        const value = values.get(name);
        if (typeof value !== 'number' || value === feed.minScore || feed.thresholds.includes(value)) continue;
        report.error(
          [...entry.path, 'rules', rule.slug, 'parameters', name],
          'collection.watchlist-score',
          value < feed.minScore
            ? `${name} ${value} is below watchlist ${alias}'s minScore ${feed.minScore}: those addresses are never in the watchlist`
            : `${name} ${value} filters watchlist ${alias}'s Score, but the sync only keeps scores exact at ${[feed.minScore, ...feed.thresholds].join(', ')}`,
          value < feed.minScore ? `Use ${feed.minScore} or more.` : `Add ${value} to feed.scoreThresholds in ${feed.doc.file}.`,
        );
      }
      appendAll(out, report.diagnostics);
    }
  }
  return out;
}
