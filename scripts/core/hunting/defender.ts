// A rule's query → its Microsoft Defender XDR advanced-hunting form, derived from Kusto.Language's
// syntax tree of the Sentinel query (analyzed against the Sentinel table schemas and watchlists), so
// that the transformation follows names as KQL binds them, not as text happens to match:
//   1. column TimeGenerated → Timestamp (advanced hunting has no TimeGenerated);
//   2. a column that is dynamic in Sentinel but a string in advanced hunting (DeviceInfo.AdditionalFields)
//      is parsed where it is used as a value: parse_json(tostring(X)); todynamic(X)/parse_json(X)/tostring(X)
//      give the same for the string and stay as they are; anywhere else (project X, by X) is refused;
//   3. _GetWatchlist('<alias>') → externaldata over the watchlist's feed: for an `ipsum` feed, the
//      levels/<N>.txt file next to ipsum.txt, N = the value of the rule parameter that declares
//      `watchlistScore: <alias>` (else the feed's minScore), with the watchlist's columns rebuilt:
//      the search-key column and SearchKey = the IP, Score = N (every IP in levels/N.txt has score ≥ N).
//   4. a `| where ingestion_time() > …` (the scheduled rule's selection of late events) is dropped:
//      advanced hunting runs once over the period the hunter picks (ingestion.ts).
// Anything else that advanced hunting cannot run (a watchlist without a feed, a non-literal alias)
// is refused with a diagnostic. The result is analyzed against the advanced-hunting table schemas.
import { kusto, syntaxKinds, type KExpression, type KFunctionCall, type KSyntaxNode } from '../kql/kusto.ts';
import type { KqlEnvironment } from '../kql/symbols.ts';
import type { TableSchema } from '../kql/types.ts';
import { WATCHLIST_FUNCTION } from '../kql/symbols.ts';
import type { LetBinding } from '../model/parameters.ts';
import { parseKqlLiteral } from '../model/parameters.ts';
import type { RuleYaml, WatchlistYaml } from '../model/yaml-types.ts';
import { FEED_DEFAULTS, SCORE_COLUMN } from '../feed/settings.ts';
import type { LNode } from '../lint/tree.ts';
import { ingestionSelections } from './ingestion.ts';

/** Sentinel column → advanced-hunting column. */
const COLUMN_RENAMES: Readonly<Record<string, string>> = { TimeGenerated: 'Timestamp' };
/** Functions that give the same result for the JSON string as for the dynamic value: no wrapping needed. */
const STRING_SAFE_FUNCTIONS = new Set(['todynamic', 'parse_json', 'parsejson', 'tostring']);

export interface DefenderInput {
  rule: RuleYaml;
  lets: readonly LetBinding[];
  /** Environment of the Sentinel analysis (tables + watchlists). */
  sentinel: KqlEnvironment;
  /** Columns dynamic in Sentinel but a string in advanced hunting (stringInDefender). */
  typeChanged: ReadonlySet<string>;
  watchlists: ReadonlyMap<string, WatchlistYaml>;
}

export type DefenderResult = { ok: true; query: string } | { ok: false; problems: string[] };

interface Edit {
  start: number;
  length: number;
  text: string;
}

export function defenderQuery(input: DefenderInput): DefenderResult {
  const k = kusto();
  const kinds = syntaxKinds();
  const query = input.rule.query;
  const prepared = input.sentinel.prepare(query);
  const code = prepared.parsed.Analyze(prepared.globals);
  const edits: Edit[] = [];
  const problems: string[] = [];

  code.Syntax?.WalkNodes((node: KSyntaxNode) => {
    if (node.Kind === kinds.NameReference) {
      const symbol = node.ReferencedSymbol;
      if (!symbol?.Name || symbol.Kind !== k.Symbols.SymbolKind.Column) return;
      const rename = COLUMN_RENAMES[symbol.Name];
      if (rename) edits.push({ start: node.TextStart, length: node.Width, text: rename });
      else if (input.typeChanged.has(symbol.Name)) {
        const context = valueContext(node);
        if (context === 'parsed') return;
        if (context === 'value') edits.push({ start: node.TextStart, length: node.Width, text: `parse_json(tostring(${symbol.Name}))` });
        else
          problems.push(
            `column ${symbol.Name} is dynamic in Sentinel but a string in advanced hunting, and is used where it cannot be parsed (offset ${node.TextStart}); parse it first: extend X = todynamic(${symbol.Name})`,
          );
      }
    } else if (node.Kind === kinds.FunctionCallExpression) {
      const call = node as KFunctionCall;
      if (call.Name?.SimpleName !== WATCHLIST_FUNCTION) return;
      const replacement = watchlistSource(call, input);
      if (typeof replacement === 'string') edits.push({ start: call.TextStart, length: call.Width, text: replacement });
      else problems.push(replacement.problem);
    }
  });
  const ingestion = ingestionSelections(code.Syntax as unknown as LNode, query);
  problems.push(...ingestion.problems);
  if (problems.length > 0) return { ok: false, problems };
  const removed = (e: Edit): boolean => ingestion.removals.some((r) => e.start >= r.start && e.start < r.start + r.length);
  const all = [...edits.filter((e) => !removed(e)), ...ingestion.removals.map((r) => ({ ...r, text: '' }))];
  let out = query;
  for (const edit of all.sort((a, b) => b.start - a.start))
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.start + edit.length);
  return { ok: true, query: out.trimEnd() };
}

/** Columns that are dynamic in a Sentinel table and a string in the advanced-hunting table of the same name. */
export function stringInDefender(sentinel: readonly TableSchema[], defender: readonly TableSchema[]): Set<string> {
  const out = new Set<string>();
  for (const table of defender) {
    const counterpart = sentinel.find((t) => t.name === table.name);
    for (const c of table.columns) {
      if (c.type === 'string' && counterpart?.columns.some((s) => s.name === c.name && s.type === 'dynamic')) out.add(c.name);
    }
  }
  return out;
}

/** 'parsed': the argument of a string-safe function; 'value': another scalar use; 'column': a column position. */
function valueContext(reference: KSyntaxNode): 'parsed' | 'value' | 'column' {
  const kinds = syntaxKinds();
  let node: KSyntaxNode | null = reference.Parent;
  for (let depth = 0; node && depth < 4; depth++, node = node.Parent) {
    if (node.Kind === kinds.FunctionCallExpression) {
      const name = (node as KFunctionCall).Name?.SimpleName ?? '';
      return STRING_SAFE_FUNCTIONS.has(name) ? 'parsed' : 'value';
    }
    if (node.Kind === kinds.PathExpression || node.Kind === kinds.ElementExpression) return 'value';
    if (
      node.Kind !== kinds.SeparatedElement &&
      node.Kind !== kinds.List &&
      node.Kind !== kinds.ExpressionList &&
      node.Kind !== kinds.ParenthesizedExpression
    )
      break;
  }
  return 'column';
}

function watchlistSource(call: KFunctionCall, input: DefenderInput): string | { problem: string } {
  const args = call.ArgumentList?.Expressions;
  const first: KExpression | null = args && args.Count > 0 ? args.getItem(0).Element$1 : null;
  const alias = typeof first?.LiteralValue === 'string' ? first.LiteralValue : undefined;
  if (alias === undefined) return { problem: `${WATCHLIST_FUNCTION}() needs a literal alias to be rewritten for advanced hunting` };
  const watchlist = input.watchlists.get(alias);
  if (!watchlist?.feed)
    return { problem: `watchlist '${alias}' has no feed: advanced hunting has no watchlists and there is no public file to read it from` };
  if (watchlist.feed.format !== 'ipsum')
    return { problem: `watchlist '${alias}': feed format ${watchlist.feed.format} has no advanced-hunting source` };
  const level = scoreLevel(alias, input) ?? watchlist.feed.minScore ?? FEED_DEFAULTS.minScore;
  const url = ipsumLevelUrl(watchlist.feed.url, level);
  if (!url)
    return {
      problem: `watchlist '${alias}': feed url ${watchlist.feed.url} does not end in ipsum.txt, so levels/${level}.txt cannot be derived`,
    };
  const key = watchlist.itemsSearchKey;
  const extra = watchlist.columns.filter((c) => c.name !== key && c.name !== 'SearchKey');
  const values = extra.map((c) => `${c.name} = ${c.name === SCORE_COLUMN ? String(level) : nullOf(c.type)}`);
  return `(externaldata(${key}: string) [@"${url}"] with (format="txt")\n    | extend SearchKey = ${key}${values.length ? `, ${values.join(', ')}` : ''})`;
}

/** The default value of the rule parameter that declares `watchlistScore: <alias>`. */
function scoreLevel(alias: string, input: DefenderInput): number | undefined {
  for (const [name, decl] of Object.entries(input.rule.parameters ?? {})) {
    if (decl.watchlistScore !== alias) continue;
    const binding = input.lets.find((l) => l.name === name);
    const value = binding ? parseKqlLiteral(decl.type, binding.valueText) : undefined;
    if (typeof value === 'number' && Number.isInteger(value)) return value;
  }
  return undefined;
}

/** https://…/ipsum/master/ipsum.txt → https://…/ipsum/master/levels/<N>.txt */
export function ipsumLevelUrl(feedUrl: string, level: number): string | undefined {
  return /\/ipsum\.txt$/.test(feedUrl) ? feedUrl.replace(/ipsum\.txt$/, `levels/${level}.txt`) : undefined;
}

function nullOf(type: string): string {
  return type === 'string' ? "''" : `${type}(null)`;
}
