// When a workspace's parameter overrides cannot change what the analysis of a query reports, so that
// validate need not analyze the substituted query again (an analysis is the expensive step; a rule
// overridden in two workspaces costs three). The rule, all of which must hold:
//
//  1. The rule's own query analyzes with no error and no unknown table.
//  2. For every overridden parameter:
//     a. one top-level `let` declares it, its value is a literal (parameters require that), and that
//        literal is preceded by `=` or whitespace and followed by whitespace, `;` or the end;
//     b. the override's literal, analyzed alone (`let x = <value>;`), is one literal expression
//        spanning all of it, with no diagnostics;
//     c. Kusto.Language gives it the same type as the default literal (`long`, `real`, `string`, `bool`,
//        `timespan`, …; a `dynamic([…])` array is typed by its elements); two arrays of different
//        element types also count as the same when every reference is an element of an `in` list;
//     d. every name reference with the parameter's name resolves to that let and is an operand of a
//        comparison (== != < <= > >= =~ !~) or an element of the list of in, !in, in~ or !in~.
//
// Why that is enough: by (a) and (b) the substituted query lexes to the same tokens except the
// literal's (no literal can start by joining `=`, and whitespace or `;` ends every literal), so it
// parses to the same tree except that literal; by (c) the let's variable has the same type. Kusto.Language
// binds comparisons and in-lists by their operands' types; it reads a constant's value only elsewhere
// (function arguments, column and table names, bag keys and indexers, a user function's call-site
// expansion), which (d) excludes. So the substituted query's analysis is the default's with another
// constant, and reports what the default reports: nothing, by (1). Whenever a condition fails, the
// substituted query is analyzed as before. test/core/kql/overrides.test.ts checks the verdicts against
// the full analysis for every parameter type; test/compat/override-shortcut.ts does so on real rules.
import {
  kusto,
  syntaxKinds,
  toArray,
  type KBinaryExpression,
  type KDynamicArraySymbol,
  type KExpression,
  type KLetStatement,
  type KNameReference,
  type KQueryBlock,
  type KSymbol,
  type KSyntaxNode,
  type KTypeSymbol,
  type KustoCode,
} from './kusto.ts';
import { isLiteral } from './syntax.ts';

/** How a query uses one of its top-level lets (a rule parameter). */
export interface ParameterUse {
  /** The type Kusto.Language gives the let's literal value (see typeKey), or undefined when the value is no literal of a known type. */
  valueType: string | undefined;
  /** The literal's span (for the characters around it). */
  valueStart: number;
  valueLength: number;
  /** References that are an operand of a comparison. */
  comparisons: number;
  /** References that are an element of an in-family operator's list. */
  inLists: number;
  /** Every other reference, a same-named reference that resolves to something else, a second declaration. */
  other: number;
}

/** The uses of the top-level lets named in `names` (those that the query declares), from an analyzed query. */
export function parameterUses(code: KustoCode, names: readonly string[]): Record<string, ParameterUse> {
  const kinds = syntaxKinds();
  const wanted = new Set(names);
  const uses: Record<string, ParameterUse> = {};
  const symbols = new Map<string, KSymbol | null>();
  for (const separated of toArray((code.Syntax as KQueryBlock | null)?.Statements)) {
    const statement = separated.Element$1;
    if (statement?.Kind !== kinds.LetStatement) continue;
    const { Name: name, Expression: value } = statement as KLetStatement;
    const simple = name?.SimpleName;
    if (!simple || !wanted.has(simple) || !value) continue;
    if (uses[simple]) {
      uses[simple].other++; // declared twice: the references may mean either
      continue;
    }
    symbols.set(simple, name.ReferencedSymbol);
    uses[simple] = {
      valueType: isLiteral(value) ? typeKey(value.ResultType) : undefined,
      valueStart: value.TextStart,
      valueLength: value.Width,
      comparisons: 0,
      inLists: 0,
      other: 0,
    };
  }
  if (symbols.size === 0) return uses;
  code.Syntax?.WalkNodes((node) => {
    if (node.Kind !== kinds.NameReference) return;
    const simple = (node as KNameReference).SimpleName;
    const use = simple ? uses[simple] : undefined;
    if (!use) return;
    if (node.ReferencedSymbol === null || node.ReferencedSymbol !== symbols.get(simple!)) use.other++;
    else if (isComparisonOperand(node)) use.comparisons++;
    else if (isInListElement(node)) use.inLists++;
    else use.other++;
  });
  return uses;
}

/**
 * Whether analyzing `query` with each parameter's literal replaced by `values` (name → KQL literal)
 * provably reports what its own analysis reported, which must have been nothing (see the rule above).
 */
export function overridesKeepAnalysis(
  query: string,
  clean: boolean,
  uses: Readonly<Record<string, ParameterUse>>,
  values: ReadonlyMap<string, string>,
): boolean {
  if (!clean) return false;
  for (const [name, literal] of values) {
    const use = uses[name];
    if (!use?.valueType || use.other > 0) return false;
    const before = query[use.valueStart - 1];
    const after = query[use.valueStart + use.valueLength];
    if (before !== undefined && before !== '=' && !/\s/.test(before)) return false;
    if (after !== undefined && after !== ';' && !/\s/.test(after)) return false;
    const type = literalType(literal);
    if (!type) return false;
    const arrays = type.startsWith('dynamic[') && use.valueType.startsWith('dynamic[');
    const sameType = type === use.valueType && !type.includes('?');
    if (!sameType && !(arrays && use.comparisons === 0)) return false;
  }
  return true;
}

const COMPARISONS = [
  'EqualExpression',
  'NotEqualExpression',
  'LessThanExpression',
  'LessThanOrEqualExpression',
  'GreaterThanExpression',
  'GreaterThanOrEqualExpression',
  'EqualTildeExpression',
  'BangTildeExpression',
] as const;
const IN_OPERATORS = ['InExpression', 'InCsExpression', 'NotInExpression', 'NotInCsExpression'] as const;

function isComparisonOperand(node: KSyntaxNode): boolean {
  const kinds = syntaxKinds();
  const parent = node.Parent as KBinaryExpression | null;
  return !!parent && COMPARISONS.some((k) => kinds[k] === parent.Kind) && (parent.Left === node || parent.Right === node);
}

/** `x in (a, Name, b)`: NameReference → SeparatedElement → List → ExpressionList, the Right of an in-family expression. */
function isInListElement(node: KSyntaxNode): boolean {
  const kinds = syntaxKinds();
  const separated = node.Parent;
  const list = separated?.Kind === kinds.SeparatedElement ? separated.Parent : null;
  const expressions = list?.Kind === kinds.List ? list.Parent : null;
  const operator = expressions?.Kind === kinds.ExpressionList ? (expressions.Parent as KBinaryExpression | null) : null;
  return !!operator && IN_OPERATORS.some((k) => kinds[k] === operator.Kind) && operator.Right === expressions;
}

/** `long`, `string`, … for primitive types; `dynamic[long]` for an array (`dynamic[?]` when its elements have no primitive type). */
function typeKey(type: KTypeSymbol | null): string | undefined {
  const { SymbolKind } = kusto().Symbols;
  if (!type) return undefined;
  if (type.Kind === SymbolKind.Primitive) return type.Name ?? undefined;
  if (type.Kind === SymbolKind.Array) {
    const element = (type as KDynamicArraySymbol).ElementType;
    return `dynamic[${element?.Kind === SymbolKind.Primitive ? element.Name : '?'}]`;
  }
  return undefined;
}

const PREFIX = 'let x = ';
const literalTypes = new Map<string, string | null>();

/** The type key of `literal` when it is one literal expression with no diagnostics, else undefined. Memoized: overrides repeat. */
export function literalType(literal: string): string | undefined {
  let type = literalTypes.get(literal);
  if (type === undefined) {
    type = analyzeLiteral(literal) ?? null;
    if (literalTypes.size >= 10_000) literalTypes.clear();
    literalTypes.set(literal, type);
  }
  return type ?? undefined;
}

function analyzeLiteral(literal: string): string | undefined {
  const k = kusto();
  const code = k.KustoCode.ParseAndAnalyze(`${PREFIX}${literal};\nprint x`, k.GlobalState.Default);
  if (code.GetDiagnostics().Count > 0) return undefined;
  const first = toArray((code.Syntax as KQueryBlock | null)?.Statements)[0]?.Element$1;
  if (first?.Kind !== syntaxKinds().LetStatement) return undefined;
  const value: KExpression | null = (first as KLetStatement).Expression;
  if (!value || value.TextStart !== PREFIX.length || value.Width !== literal.length || !isLiteral(value)) return undefined;
  return typeKey(value.ResultType);
}
