// The one place that touches Kusto.Language (Microsoft's KQL parser and binder, compiled to JavaScript
// with Bridge.NET in @kusto/language-service-next). Loading it defines the globals `Bridge` and
// `Kusto`; we load it lazily, once per process (~0.3 s), and give the rest of the layer typed access.
//
// The interfaces below are a narrow, hand-written view of Kusto.Language.Bridge.d.ts (1.7 MB): only
// the members this layer uses, with the names the d.ts gives them (overloaded constructors are
// `$ctorN` in Bridge). Lists are .NET IReadOnlyList: `Count` and `getItem(i)`.
import { createRequire } from 'node:module';

export interface KList<T> {
  readonly Count: number;
  getItem(index: number): T;
}

export interface KSymbol {
  readonly Name: string | null;
  readonly Kind: number;
}

export type KTypeSymbol = KSymbol;

export interface KColumnSymbol extends KSymbol {
  readonly Type: KTypeSymbol | null;
}

export interface KTableSymbol extends KSymbol {
  readonly Columns: KList<KColumnSymbol> | null;
  readonly IsOpen: boolean;
  WithIsOpen(isOpen: boolean): KTableSymbol;
}

export interface KDatabaseSymbol extends KSymbol {
  readonly Members: KList<KSymbol> | null;
}

export type KFunctionSymbol = KSymbol;
export type KParameter = object;

export interface KGlobalState {
  WithDatabase(database: KDatabaseSymbol): KGlobalState;
  readonly ParseOptions: KParseOptions;
  WithParseOptions(options: KParseOptions): KGlobalState;
  /** The same globals with a cache of their own (the binder's lookups and function expansions). */
  WithCache(): KGlobalState;
}

export interface KParseOptions {
  WithAlwaysProduceEndTokens(value: boolean): KParseOptions;
}

export interface KDiagnostic {
  readonly Code: string | null;
  readonly Severity: string | null;
  readonly Message: string | null;
  readonly HasLocation: boolean;
  readonly Start: number;
  readonly Length: number;
}

export interface KSyntaxElement {
  readonly Kind: number;
  /** Offset of the first character, leading trivia (spaces, comments) excluded. */
  readonly TextStart: number;
  /** Width without trivia. */
  readonly Width: number;
  readonly Parent: KSyntaxNode | null;
}

export interface KSyntaxNode extends KSyntaxElement {
  readonly ReferencedSymbol: KSymbol | null;
  WalkNodes(action: (node: KSyntaxNode) => void): void;
  GetTokenAt(position: number): KSyntaxElement | null;
}

export interface KExpression extends KSyntaxNode {
  readonly IsLiteral: boolean;
  readonly LiteralValue: unknown;
  readonly ResultType: KTypeSymbol | null;
}

export interface KSeparatedElement<T> extends KSyntaxNode {
  readonly Element$1: T | null;
}

export interface KQueryBlock extends KSyntaxNode {
  readonly Statements: KList<KSeparatedElement<KSyntaxNode>> | null;
}

export interface KLetStatement extends KSyntaxNode {
  readonly Name: (KSyntaxNode & { readonly SimpleName: string | null }) | null;
  readonly Expression: KExpression | null;
}

export interface KNameReference extends KExpression {
  readonly SimpleName: string | null;
}

export interface KFunctionCall extends KExpression {
  readonly Name: KNameReference | null;
  readonly ArgumentList: { readonly Expressions: KList<KSeparatedElement<KExpression>> | null } | null;
}

export interface KPrefixUnary extends KExpression {
  readonly Expression: KExpression | null;
}

/** Comparisons and the other binary operators; also `in` and its variants, whose Right is the list. */
export interface KBinaryExpression extends KExpression {
  readonly Left: KExpression | null;
  readonly Right: KSyntaxNode | null;
}

/** Kusto.Language's type of `dynamic([…])`: the element type it inferred from the literal. */
export interface KDynamicArraySymbol extends KTypeSymbol {
  readonly ElementType: KTypeSymbol | null;
}

export interface KustoCode {
  readonly Syntax: KSyntaxNode | null;
  /**
   * Analyzed with `globals` (its own when omitted). Reuses the lexer's tokens, parses once more and
   * binds; `WithGlobals(g).Analyze()` would parse twice.
   */
  Analyze(globals?: KGlobalState): KustoCode;
  readonly ResultType: KTypeSymbol | null;
  GetDiagnostics(): KList<KDiagnostic>;
  /** The parser's diagnostics only (a subset of GetDiagnostics()). */
  GetSyntaxDiagnostics(): KList<KDiagnostic>;
}

export interface KCustomReturnTypeContext {
  readonly Arguments: KList<KExpression> | null;
  /** The database the binder is in (the globals' own, for our queries and function bodies). */
  readonly CurrentDatabase: KDatabaseSymbol | null;
  readonly Globals: { readonly Database: KDatabaseSymbol } | null;
}

type Ctor<A extends unknown[], R> = new (...args: A) => R;

/** The subset of the global `Kusto.Language` namespace that this layer uses. */
export interface KustoLanguage {
  KustoCode: { ParseAndAnalyze(text: string, globals: KGlobalState): KustoCode; Parse(text: string, globals: KGlobalState): KustoCode };
  GlobalState: { readonly Default: KGlobalState };
  Symbols: {
    ScalarTypes: Record<
      'String' | 'Int' | 'Long' | 'Real' | 'Decimal' | 'Bool' | 'DateTime' | 'TimeSpan' | 'Dynamic' | 'Guid' | 'Unknown',
      KTypeSymbol
    >;
    ColumnSymbol: Ctor<
      [name: string, type: KTypeSymbol, description: string | null, originalColumns: null, source: null, examples: null],
      KColumnSymbol
    >;
    TableSymbol: { $ctor4: Ctor<[name: string | null, columns: KColumnSymbol[]], KTableSymbol> };
    DatabaseSymbol: {
      ctor: Ctor<[name: string, members: KSymbol[]], KDatabaseSymbol>;
      $ctor1: Ctor<[name: string, members: KSymbol[], isOpen: boolean], KDatabaseSymbol>;
    };
    FunctionSymbol: {
      ctor: Ctor<
        [name: string, customReturnType: (context: KCustomReturnTypeContext) => KTypeSymbol, tabularity: number, parameters: KParameter[]],
        KFunctionSymbol
      >;
      /** name, parameter list `(a:string, …)`, body `{ … }`, description. */
      $ctor16: Ctor<[name: string, parameterList: string, body: string, description: string | null], KFunctionSymbol>;
    };
    Parameter: {
      $ctor2: Ctor<[name: string, type: KTypeSymbol], KParameter>;
      ctor: Ctor<
        [
          name: string,
          typeKind: number,
          argumentKind: number,
          values: null,
          examples: null,
          isCaseSensitive: boolean,
          defaultValueIndicator: null,
          minOccurring: number,
          maxOccurring: number,
          defaultValue: null,
          description: null,
        ],
        KParameter
      >;
      ParseList(parameters: string): KList<KParameter> | null;
    };
    ParameterTypeKind: { readonly Scalar: number };
    ArgumentKind: { readonly Expression: number };
    Tabularity: { readonly Tabular: number; readonly Unknown: number };
    SymbolKind: { readonly Table: number; readonly Column: number; readonly Primitive: number; readonly Array: number };
  };
  Syntax: { SyntaxKind: Readonly<Record<string, number>> };
}

let loaded: KustoLanguage | undefined;

/** Kusto.Language, loading it on first use. */
export function kusto(): KustoLanguage {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  // Order matters: the Bridge.NET runtime first, then the library that registers itself on it.
  require('@kusto/language-service-next/bridge.min.js');
  require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
  const language = (globalThis as { Kusto?: { Language?: KustoLanguage } }).Kusto?.Language;
  if (!language?.KustoCode) {
    throw new Error('@kusto/language-service-next loaded but defined no Kusto.Language global: is the installed version 12.4.1?');
  }
  loaded = language;
  return loaded;
}

/** Whether kusto() has already loaded the library (benchmarks report the load time only once). */
export function isKustoLoaded(): boolean {
  return loaded !== undefined;
}

/** The syntax kinds this layer inspects, resolved by name once. */
export interface SyntaxKinds {
  LetStatement: number;
  ExpressionStatement: number;
  NameReference: number;
  FunctionBody: number;
  FunctionCallExpression: number;
  ParenthesizedExpression: number;
  UnaryMinusExpression: number;
  UnaryPlusExpression: number;
  StringLiteralExpression: number;
  IntLiteralExpression: number;
  LongLiteralExpression: number;
  RealLiteralExpression: number;
  DecimalLiteralExpression: number;
  PathExpression: number;
  ElementExpression: number;
  SeparatedElement: number;
  List: number;
  ExpressionList: number;
  SimpleNamedExpression: number;
  PipeExpression: number;
  JoinOperator: number;
  LookupOperator: number;
  UnionOperator: number;
  WildcardedName: number;
  BracketedWildcardedName: number;
  EqualExpression: number;
  NotEqualExpression: number;
  LessThanExpression: number;
  LessThanOrEqualExpression: number;
  GreaterThanExpression: number;
  GreaterThanOrEqualExpression: number;
  EqualTildeExpression: number;
  BangTildeExpression: number;
  InExpression: number;
  InCsExpression: number;
  NotInExpression: number;
  NotInCsExpression: number;
}

let kinds: SyntaxKinds | undefined;

export function syntaxKinds(): SyntaxKinds {
  if (kinds) return kinds;
  const all = kusto().Syntax.SyntaxKind;
  const pick = (name: keyof SyntaxKinds): number => {
    const value = all[name];
    if (typeof value !== 'number') throw new Error(`Kusto.Language has no SyntaxKind.${name}: was @kusto/language-service-next upgraded?`);
    return value;
  };
  kinds = {
    LetStatement: pick('LetStatement'),
    ExpressionStatement: pick('ExpressionStatement'),
    NameReference: pick('NameReference'),
    FunctionBody: pick('FunctionBody'),
    FunctionCallExpression: pick('FunctionCallExpression'),
    ParenthesizedExpression: pick('ParenthesizedExpression'),
    UnaryMinusExpression: pick('UnaryMinusExpression'),
    UnaryPlusExpression: pick('UnaryPlusExpression'),
    StringLiteralExpression: pick('StringLiteralExpression'),
    IntLiteralExpression: pick('IntLiteralExpression'),
    LongLiteralExpression: pick('LongLiteralExpression'),
    RealLiteralExpression: pick('RealLiteralExpression'),
    DecimalLiteralExpression: pick('DecimalLiteralExpression'),
    PathExpression: pick('PathExpression'),
    ElementExpression: pick('ElementExpression'),
    SeparatedElement: pick('SeparatedElement'),
    List: pick('List'),
    ExpressionList: pick('ExpressionList'),
    SimpleNamedExpression: pick('SimpleNamedExpression'),
    PipeExpression: pick('PipeExpression'),
    JoinOperator: pick('JoinOperator'),
    LookupOperator: pick('LookupOperator'),
    UnionOperator: pick('UnionOperator'),
    WildcardedName: pick('WildcardedName'),
    BracketedWildcardedName: pick('BracketedWildcardedName'),
    EqualExpression: pick('EqualExpression'),
    NotEqualExpression: pick('NotEqualExpression'),
    LessThanExpression: pick('LessThanExpression'),
    LessThanOrEqualExpression: pick('LessThanOrEqualExpression'),
    GreaterThanExpression: pick('GreaterThanExpression'),
    GreaterThanOrEqualExpression: pick('GreaterThanOrEqualExpression'),
    EqualTildeExpression: pick('EqualTildeExpression'),
    BangTildeExpression: pick('BangTildeExpression'),
    InExpression: pick('InExpression'),
    InCsExpression: pick('InCsExpression'),
    NotInExpression: pick('NotInExpression'),
    NotInCsExpression: pick('NotInCsExpression'),
  };
  return kinds;
}

/** A .NET list as a JavaScript array. */
export function toArray<T>(list: KList<T> | null | undefined): T[] {
  const out: T[] = [];
  if (!list) return out;
  for (let i = 0; i < list.Count; i++) out.push(list.getItem(i));
  return out;
}
