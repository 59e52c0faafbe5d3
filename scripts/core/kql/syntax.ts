// What the analysis reads from Kusto.Language's syntax tree: top-level lets (rule parameters),
// _GetWatchlist calls, the tables a query reads, and whether an unresolved name stands where a
// table would. One walk over the nodes (~1 ms for the detection query, against ~15–40 ms of analysis).
import {
  syntaxKinds,
  toArray,
  type KExpression,
  type KFunctionCall,
  type KLetStatement,
  type KNameReference,
  type KPrefixUnary,
  type KQueryBlock,
  type KSyntaxNode,
  type KustoCode,
} from './kusto.ts';
import { compareText } from '../text/compare.ts';
import { syntaxNodes } from './nodes.ts';
import type { LetBinding as ParameterLet } from '../model/parameters.ts';
import type { KqlEnvironment } from './symbols.ts';
import { WATCHLIST_FUNCTION } from './symbols.ts';

/**
 * A top-level let as parameters use it (value span without surrounding spaces or comments; `literal`:
 * a number, string, bool, timespan, datetime, guid, or dynamic(...) of literals), plus its name's span.
 */
export interface LetBinding extends ParameterLet {
  /** Span of the declared name. */
  start: number;
  length: number;
}

export interface WatchlistCall {
  alias: string;
  /** Span of the alias string literal, quotes included. */
  start: number;
  length: number;
  known: boolean;
}

/** Top-level `let Name = <expr>;` statements, in order. Function declarations (`let f = () {…}`) included, literal false. */
export function topLevelLets(code: KustoCode, query: string): LetBinding[] {
  const kinds = syntaxKinds();
  const root = code.Syntax as KQueryBlock | null;
  const lets: LetBinding[] = [];
  for (const separated of toArray(root?.Statements)) {
    const statement = separated.Element$1;
    if (statement?.Kind !== kinds.LetStatement) continue;
    const { Name: name, Expression: value } = statement as KLetStatement;
    if (!name?.SimpleName || !value) continue;
    lets.push({
      name: name.SimpleName,
      start: name.TextStart,
      length: name.Width,
      valueStart: value.TextStart,
      valueLength: value.Width,
      valueText: query.slice(value.TextStart, value.TextStart + value.Width),
      literal: isLiteral(value),
    });
  }
  return lets;
}

export function isLiteral(expression: KExpression): boolean {
  const kinds = syntaxKinds();
  // Kusto.Language marks literal tokens and dynamic(...) (whose body must be JSON) as literal; a
  // signed number is a unary expression over one.
  if (expression.IsLiteral) return true;
  if (expression.Kind === kinds.UnaryMinusExpression || expression.Kind === kinds.UnaryPlusExpression) {
    const operand = (expression as KPrefixUnary).Expression;
    return operand !== null && isNumericLiteral(operand.Kind);
  }
  return false;
}

function isNumericLiteral(kind: number): boolean {
  const k = syntaxKinds();
  return (
    kind === k.IntLiteralExpression ||
    kind === k.LongLiteralExpression ||
    kind === k.RealLiteralExpression ||
    kind === k.DecimalLiteralExpression
  );
}

export interface References {
  watchlists: WatchlistCall[];
  /** Names of the environment's tables the query reads, sorted, unique. */
  tables: string[];
}

/** _GetWatchlist calls with a string-literal alias, and the environment's tables that the query reads. */
export function findReferences(code: KustoCode, env: KqlEnvironment): References {
  const kinds = syntaxKinds();
  const watchlists: WatchlistCall[] = [];
  const tables = new Set<string>();
  const { nodes, kinds: kindOf } = syntaxNodes(code);
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (kindOf[i] === kinds.NameReference) {
      const symbol = node.ReferencedSymbol;
      if (symbol?.Name && env.isTable(symbol)) tables.add(symbol.Name);
    } else if (kindOf[i] === kinds.FunctionCallExpression) {
      const call = node as KFunctionCall;
      const name = call.Name?.SimpleName;
      const first = firstArgument(call);
      if (name === WATCHLIST_FUNCTION && first?.Kind === kinds.StringLiteralExpression && typeof first.LiteralValue === 'string') {
        const alias = first.LiteralValue;
        watchlists.push({ alias, start: first.TextStart, length: first.Width, known: env.hasWatchlist(alias) });
      } else if (name === 'table' && first && typeof first.LiteralValue === 'string') {
        // table('Name') reads a table by name; its result type is that table's symbol.
        const symbol = call.ResultType;
        if (symbol?.Name && env.isTable(symbol)) tables.add(symbol.Name);
      }
    }
  }
  return { watchlists, tables: [...tables].sort(compareText) };
}

function firstArgument(call: KFunctionCall): KExpression | null {
  const args = call.ArgumentList?.Expressions;
  return args && args.Count > 0 ? args.getItem(0).Element$1 : null;
}

/**
 * The name referred to at `start` when it could be a table: the name itself for a name reference
 * (brackets and quotes removed), the string for table('…'). `standalone` is true when the name is
 * the whole value of a let, of the query or of a function body: Kusto.Language cannot tell a table
 * from a scalar there (it reports KS142, not KS204), so the caller has to check.
 */
export function nameAt(code: KustoCode, start: number): { name: string; standalone: boolean } | undefined {
  const kinds = syntaxKinds();
  let node: KSyntaxNode | null = code.Syntax?.GetTokenAt(start)?.Parent ?? null;
  // token → name (TokenName or BracketedName) → NameReference, or token → string literal.
  for (let depth = 0; node && depth < 3; depth++, node = node.Parent) {
    if (node.Kind === kinds.StringLiteralExpression) {
      const value = (node as KExpression).LiteralValue;
      return typeof value === 'string' ? { name: value, standalone: false } : undefined;
    }
    if (node.Kind === kinds.NameReference) {
      const name = (node as KNameReference).SimpleName;
      return name ? { name, standalone: isStandalone(node) } : undefined;
    }
  }
  return undefined;
}

function isStandalone(reference: KSyntaxNode): boolean {
  const kinds = syntaxKinds();
  let child = reference;
  let parent = reference.Parent;
  while (parent?.Kind === kinds.ParenthesizedExpression) {
    child = parent;
    parent = parent.Parent;
  }
  if (!parent) return false;
  if (parent.Kind === kinds.LetStatement) return (parent as KLetStatement).Expression === child;
  return parent.Kind === kinds.ExpressionStatement || parent.Kind === kinds.FunctionBody;
}

/**
 * Whether the call whose name starts at `start` stands where a table is expected: a pipe's source,
 * the whole value of a statement, let or function body, a union member or a join/lookup operand.
 * Elsewhere (`where f(x)`, `extend y = f(x)`) it stands for a value.
 */
export function isTabularPosition(code: KustoCode, start: number): boolean {
  const kinds = syntaxKinds();
  let child: KSyntaxNode | null = code.Syntax?.GetTokenAt(start)?.Parent ?? null;
  while (child && child.Kind !== kinds.FunctionCallExpression) child = child.Parent;
  let parent = child?.Parent ?? null;
  while (child && parent?.Kind === kinds.ParenthesizedExpression) {
    child = parent;
    parent = parent.Parent;
  }
  if (!child || !parent) return true;
  const operand = (parent as KSyntaxNode & { Expression?: KSyntaxNode | null }).Expression;
  if (parent.Kind === kinds.PipeExpression || parent.Kind === kinds.JoinOperator || parent.Kind === kinds.LookupOperator)
    return operand === child;
  if (parent.Kind === kinds.ExpressionStatement || parent.Kind === kinds.LetStatement || parent.Kind === kinds.FunctionBody) return true;
  return parent.Kind === kinds.SeparatedElement && parent.Parent?.Parent?.Kind === kinds.UnionOperator;
}
