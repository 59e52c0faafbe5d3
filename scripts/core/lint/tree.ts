// A narrow, typed view of the Kusto.Language syntax tree for the lints: node kinds by name, the nodes of a kind,
// let bindings resolved through the binder's symbols, and the pipe chain a node belongs to. Every lint
// reads the query only through this tree (never through regular expressions over its text).
import { kusto, toArray, type KList, type KSymbol, type KTableSymbol, type KTypeSymbol, type KustoCode } from '../kql/kusto.ts';
import { syntaxNodes } from '../kql/nodes.ts';

/** The members of Kusto.Language syntax nodes that the lints read (absent on kinds that lack them). */
export interface LNode {
  readonly Kind: number;
  readonly TextStart: number;
  readonly Width: number;
  readonly Parent: LNode | null;
  readonly ChildCount: number;
  readonly IsToken: boolean;
  GetChild(index: number): LNode | null;
  readonly ReferencedSymbol?: KSymbol | null;
  readonly ResultType?: KTypeSymbol | null;
  readonly IsLiteral?: boolean;
  readonly LiteralValue?: unknown;
  readonly SimpleName?: string | null;
  readonly Text?: string | null;
  // Expressions and operators, by the names Kusto.Language gives them.
  readonly Expression?: LNode | null;
  readonly Operator?: LNode | null;
  /** The `|` token of a pipe expression. */
  readonly Bar?: LNode | null;
  readonly Left?: LNode | null;
  readonly Right?: LNode | null;
  readonly First?: LNode | null;
  readonly Second?: LNode | null;
  readonly Name?: LNode | null;
  readonly Condition?: LNode | null;
  readonly Parameters?: KList<LNode> | null;
  readonly Expressions?: KList<LNode> | null;
  readonly Element$1?: LNode | null;
  readonly ArgumentList?: LNode | null;
  readonly Aggregates?: KList<LNode> | null;
  readonly ByClause?: LNode | null;
  readonly ByExpression?: LNode | null;
  readonly ConditionClause?: LNode | null;
  readonly LookupClause?: LNode | null;
  readonly FunctionCall?: LNode | null;
  readonly Selector?: LNode | null;
  readonly RangeClause?: LNode | null;
  readonly OnClause?: LNode | null;
  readonly MakeSeriesFromClause?: LNode | null;
  readonly Arguments?: LNode | null;
  readonly URIs?: KList<LNode> | null;
  readonly Schema?: LNode | null;
  readonly Columns?: KList<LNode> | null;
  readonly Values?: KList<LNode> | null;
  readonly Statements?: KList<LNode> | null;
}

export const SYMBOL = { Variable: 2, Function: 3, Column: 9, Table: 10 } as const;

const KIND_NAMES = [
  'QueryBlock',
  'LetStatement',
  'ExpressionStatement',
  'FunctionBody',
  'FunctionDeclaration',
  'NameReference',
  'NameDeclaration',
  'PathExpression',
  'BracketedExpression',
  'ParenthesizedExpression',
  'FunctionCallExpression',
  'MaterializeExpression',
  'ToScalarExpression',
  'ToTableExpression',
  'PipeExpression',
  'ExternalDataExpression',
  'DataTableExpression',
  'ContextualDataTableExpression',
  'InlineExternalTableExpression',
  'SimpleNamedExpression',
  'CompoundNamedExpression',
  'NamedParameter',
  'SeparatedElement',
  'List',
  'ExpressionList',
  'ExpressionCouple',
  'TimespanLiteralExpression',
  'IntLiteralExpression',
  'LongLiteralExpression',
  'RealLiteralExpression',
  'DecimalLiteralExpression',
  'UnaryMinusExpression',
  'UnaryPlusExpression',
  'AddExpression',
  'SubtractExpression',
  'MultiplyExpression',
  'DivideExpression',
  'AndExpression',
  'OrExpression',
  'EqualExpression',
  'LessThanExpression',
  'LessThanOrEqualExpression',
  'GreaterThanExpression',
  'GreaterThanOrEqualExpression',
  'BetweenExpression',
  'InExpression',
  'InCsExpression',
  'NotInExpression',
  'NotInCsExpression',
  'HasAnyExpression',
  'HasAllExpression',
  'FilterOperator',
  'JoinOperator',
  'LookupOperator',
  'JoinOnClause',
  'UnionOperator',
  'SummarizeOperator',
  'SummarizeByClause',
  'DistinctOperator',
  'ProjectOperator',
  'ProjectAwayOperator',
  'ProjectKeepOperator',
  'ProjectRenameOperator',
  'ProjectReorderOperator',
  'ExtendOperator',
  'TakeOperator',
  'TopOperator',
  'SortOperator',
  'SampleOperator',
  'SerializeOperator',
  'AsOperator',
  'CountOperator',
  'MakeSeriesOperator',
  'MakeSeriesFromToStepClause',
  'MakeSeriesInRangeClause',
  'MakeSeriesFromClause',
  'TopNestedOperator',
  'TopHittersOperator',
  'SampleDistinctOperator',
  'ParseOperator',
  'ParseWhereOperator',
  'ParseKvOperator',
  'EvaluateOperator',
  'MvExpandOperator',
  'MvApplyOperator',
  'ReduceByOperator',
  'PrintOperator',
  'RangeOperator',
  'InvokeOperator',
  'RenderOperator',
  'GetSchemaOperator',
  'PartitionOperator',
  'PartitionByOperator',
  'ScanOperator',
  'FacetOperator',
  'ForkOperator',
  'SearchOperator',
  'FindOperator',
] as const;

export type KindName = (typeof KIND_NAMES)[number];

let kinds: Readonly<Record<KindName, number>> | undefined;

/** Syntax kinds by name, resolved once (a renamed kind in an upgraded Kusto.Language fails loudly). */
export function K(): Readonly<Record<KindName, number>> {
  if (kinds) return kinds;
  const all = kusto().Syntax.SyntaxKind;
  const out = {} as Record<KindName, number>;
  for (const name of KIND_NAMES) {
    const value = all[name];
    if (typeof value !== 'number') throw new Error(`Kusto.Language has no SyntaxKind.${name}: was @kusto/language-service-next upgraded?`);
    out[name] = value;
  }
  kinds = out;
  return kinds;
}

// A node that passed is(): a subtype, so that a failed check does not narrow the node to never.
declare const checked: unique symbol;
export type Checked = LNode & { readonly [checked]: true };

export function is(node: LNode | null | undefined, ...names: KindName[]): node is Checked {
  if (!node) return false;
  const k = K();
  const kind = node.Kind;
  for (const name of names) if (k[name] === kind) return true;
  return false;
}

/** The elements of a separated list (`a, b, c`). */
export function elements(list: KList<LNode> | null | undefined): LNode[] {
  return toArray(list)
    .map((s) => s.Element$1 ?? null)
    .filter((e): e is LNode => e !== null);
}

export function text(query: string, node: LNode): string {
  return query.slice(node.TextStart, node.TextStart + node.Width);
}

/** Arguments of a function call. */
export function argumentsOf(call: LNode): LNode[] {
  return elements(call.ArgumentList?.Expressions);
}

export function functionName(call: LNode): string | undefined {
  return is(call, 'FunctionCallExpression') ? (call.Name?.SimpleName ?? undefined) : undefined;
}

/** `(x)`, `materialize(x)` → x. */
export function unwrap(node: LNode): LNode {
  let current = node;
  for (;;) {
    if (is(current, 'ParenthesizedExpression', 'MaterializeExpression') && current.Expression) current = current.Expression;
    else return current;
  }
}

/** The value of a named parameter such as `kind=inner` (lower-cased text), if present. */
export function parameter(query: string, operator: LNode, name: string): string | undefined {
  for (const p of toArray(operator.Parameters)) {
    if (p.Name?.SimpleName?.toLowerCase() === name && p.Expression) return text(query, p.Expression).toLowerCase();
  }
  return undefined;
}

export function columnsOf(node: LNode | null | undefined): string[] {
  const type = node?.ResultType;
  if (!type || type.Kind !== SYMBOL.Table) return [];
  return toArray((type as KTableSymbol).Columns).map((c) => c.Name ?? '');
}

export function isOpenTable(node: LNode | null | undefined): boolean {
  const type = node?.ResultType;
  return !!type && type.Kind === SYMBOL.Table && (type as KTableSymbol).IsOpen;
}

/** A query parsed and bound, with its let bindings indexed by the binder's symbols. */
export class LintTree {
  readonly root: LNode;
  readonly query: string;
  private readonly bindings = new Map<KSymbol, LNode>();
  private readonly references = new Map<KSymbol, LNode[]>();
  private readonly all: readonly LNode[];
  private readonly kinds: readonly number[];
  private readonly byKinds = new Map<string, readonly LNode[]>();

  constructor(code: KustoCode, query: string) {
    this.root = code.Syntax as unknown as LNode;
    this.query = query;
    // The walk that names.ts and syntax.ts made of the same tree (kql/nodes.ts).
    const walked = syntaxNodes(code);
    this.all = walked.nodes as unknown as readonly LNode[];
    this.kinds = walked.kinds;
    const k = K();
    for (let i = 0; i < this.all.length; i++) {
      const node = this.all[i]!;
      if (this.kinds[i] === k.LetStatement) {
        const symbol = node.Name?.ReferencedSymbol;
        if (symbol && node.Expression) this.bindings.set(symbol, node.Expression);
      } else if (this.kinds[i] === k.NameReference && node.ReferencedSymbol) {
        const list = this.references.get(node.ReferencedSymbol) ?? [];
        list.push(node);
        this.references.set(node.ReferencedSymbol, list);
      }
    }
  }

  /** The expression a let-bound name stands for (`let x = <expr>`), or undefined. */
  binding(reference: LNode): LNode | undefined {
    const symbol = reference.ReferencedSymbol;
    return symbol && symbol.Kind === SYMBOL.Variable ? this.bindings.get(symbol) : undefined;
  }

  /** Where the name declared by a let statement is used. */
  usesOf(letStatement: LNode): LNode[] {
    const symbol = letStatement.Name?.ReferencedSymbol;
    return symbol ? (this.references.get(symbol) ?? []) : [];
  }

  text(node: LNode): string {
    return text(this.query, node);
  }

  /** Every node of the query, depth first in source order (walked once). */
  nodes(): readonly LNode[] {
    return this.all;
  }

  /** The nodes of the given kinds, in the order of nodes() (each list computed once). */
  ofKind(...names: KindName[]): readonly LNode[] {
    const key = names.join(' ');
    let found = this.byKinds.get(key);
    if (!found) {
      const k = K();
      const wanted = new Set(names.map((n) => k[n]));
      found = this.all.filter((_, i) => wanted.has(this.kinds[i]!));
      this.byKinds.set(key, found);
    }
    return found;
  }
}

/** A column reference: its name when `node` is a name bound to a column. */
export function columnName(node: LNode | null | undefined): string | undefined {
  if (!node) return undefined;
  const inner = unwrap(node);
  if (!is(inner, 'NameReference')) return undefined;
  const symbol = inner.ReferencedSymbol;
  return symbol?.Kind === SYMBOL.Column ? (symbol.Name ?? undefined) : undefined;
}

/** The conjuncts of a predicate: `a and (b and c)` → a, b, c. */
export function conjuncts(predicate: LNode): LNode[] {
  const inner = unwrap(predicate);
  if (is(inner, 'AndExpression') && inner.Left && inner.Right) return [...conjuncts(inner.Left), ...conjuncts(inner.Right)];
  return [inner];
}
