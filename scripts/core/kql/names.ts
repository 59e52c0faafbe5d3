// Before a query is analyzed: the names it may read from the workspace's schema, from the parse tree
// alone (no binding), so that only those tables and functions are turned into Kusto.Language symbols.
// Over-approximates on purpose: every name reference is a candidate (a column that happens to share a
// table's name costs one unused table symbol, never a wrong answer).
import {
  syntaxKinds,
  toArray,
  type KExpression,
  type KFunctionCall,
  type KNameReference,
  type KSyntaxNode,
  type KustoCode,
} from './kusto.ts';
import { syntaxNodes } from './nodes.ts';
import { kqlRegions } from './regions.ts';

export interface ReferencedNames {
  /** Plain names: tables, functions, or anything else the query refers to by name. */
  names: Set<string>;
  /** Per function name: the named arguments its calls pass (`_Im_Dns(starttime=…)` → starttime). */
  namedArguments: Map<string, Set<string>>;
  /** Wildcard table patterns (`union Device*`), as regular expressions. */
  wildcards: RegExp[];
}

export function referencedNames(code: KustoCode): ReferencedNames {
  const kinds = syntaxKinds();
  const names = new Set<string>();
  const namedArguments = new Map<string, Set<string>>();
  const wildcards: RegExp[] = [];
  const { nodes, kinds: kindOf } = syntaxNodes(code);
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    const kind = kindOf[i];
    if (kind === kinds.NameReference) {
      const name = (node as KNameReference).SimpleName;
      if (name && !name.startsWith('$')) names.add(name); // $left, $right: join sides
    } else if (kind === kinds.FunctionCallExpression) {
      const call = node as KFunctionCall;
      const name = call.Name?.SimpleName;
      if (!name) continue;
      names.add(name);
      for (const arg of toArray(call.ArgumentList?.Expressions)) {
        const expression = arg.Element$1 as (KExpression & { Name?: { SimpleName?: string | null } | null }) | null;
        if (expression?.Kind === kinds.SimpleNamedExpression && expression.Name?.SimpleName) {
          const set = namedArguments.get(name) ?? new Set<string>();
          set.add(expression.Name.SimpleName);
          namedArguments.set(name, set);
        } else if (name === 'table' && expression && typeof expression.LiteralValue === 'string') {
          names.add(expression.LiteralValue);
        }
      }
    } else if (kind === kinds.WildcardedName || kind === kinds.BracketedWildcardedName) {
      const text = (node as KSyntaxNode & { SimpleName?: string | null }).SimpleName;
      if (text) wildcards.push(wildcardPattern(text));
    }
  }
  return { names, namedArguments, wildcards };
}

/**
 * A guess at referencedNames() from the text alone, so that Kusto.Language can parse and bind a query
 * in one pass instead of parsing it first to learn its names (a parse is ~15 % of an analysis). Every
 * identifier in the code (not in comments or strings) except one declared by `name =`; the string of
 * `table('…')` and of a bracketed name `['…']`; a name holding `*` as a wildcard; `name =` directly
 * inside a call's parentheses as that call's named argument. It can be wrong (a path member, a product
 * `a*b`, `union *`): KqlEnvironment.analyze compares what it selects with what the tree's names select.
 */
export function namesInText(query: string): ReferencedNames {
  const names = new Set<string>();
  const namedArguments = new Map<string, Set<string>>();
  const wildcards: RegExp[] = [];
  const tokens = codeTokens(query);
  // One entry per open bracket: the function whose argument list it opens, if any.
  const open: (string | undefined)[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const next = tokens[i + 1];
    if (token.kind === 'name') {
      const declared = next?.text === '=' && !next.joined;
      const call = open[open.length - 1];
      if (declared && call !== undefined) {
        const set = namedArguments.get(call) ?? new Set<string>();
        set.add(token.text);
        namedArguments.set(call, set);
      } else if (!declared) {
        names.add(token.text);
      }
    } else if (token.kind === 'wildcard') {
      wildcards.push(wildcardPattern(token.text));
    } else if (token.kind === 'string') {
      const previous = tokens[i - 1];
      const inTable = previous?.text === '(' && tokens[i - 2]?.text === 'table';
      const bracketed = previous?.text === '[' && next?.text === ']';
      if (inTable || bracketed) names.add(token.text);
    } else if (token.text === '(' || token.text === '[' || token.text === '{') {
      const previous = tokens[i - 1];
      open.push(token.text === '(' && previous?.kind === 'name' ? previous.text : undefined);
    } else if (token.text === ')' || token.text === ']' || token.text === '}') {
      open.pop();
    }
  }
  return { names, namedArguments, wildcards };
}

interface TextToken {
  kind: 'name' | 'wildcard' | 'string' | 'other';
  /** The name, the pattern, the string's value (quotes removed), or the character. */
  text: string;
  /** `=` followed by `=` or `~` (a comparison, not a declaration). */
  joined?: boolean;
}

function codeTokens(query: string): TextToken[] {
  const regions = kqlRegions(query);
  const tokens: TextToken[] = [];
  const word = /[A-Za-z0-9_*]/;
  let i = 0;
  while (i < query.length) {
    const c = query[i]!;
    if (regions[i] === 'comment' || /\s/.test(c)) {
      i++;
    } else if (regions[i] === 'string') {
      let end = i;
      while (end < query.length && regions[end] === 'string') end++;
      tokens.push({ kind: 'string', text: stringValue(query.slice(i, end)) });
      i = end;
    } else if (word.test(c)) {
      let end = i;
      while (end < query.length && regions[end] === 'code' && word.test(query[end]!)) end++;
      const text = query.slice(i, end);
      if (text.includes('*')) tokens.push(text === '*' ? { kind: 'other', text } : { kind: 'wildcard', text });
      else if (!/^[0-9]/.test(text)) tokens.push({ kind: 'name', text });
      i = end;
    } else {
      tokens.push(
        c === '=' ? { kind: 'other', text: c, joined: query[i + 1] === '=' || query[i + 1] === '~' } : { kind: 'other', text: c },
      );
      i++;
    }
  }
  return tokens;
}

/** 'x', "x", @'x' → x (escapes left as written: a name with one is a rare miss, which the caller detects). */
function stringValue(literal: string): string {
  const body = literal.startsWith('@') ? literal.slice(1) : literal;
  return body.length >= 2 && (body[0] === "'" || body[0] === '"') && body.endsWith(body[0]) ? body.slice(1, -1) : body;
}

function wildcardPattern(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
}
