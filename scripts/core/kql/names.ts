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
  code.Syntax?.WalkNodes((node: KSyntaxNode) => {
    if (node.Kind === kinds.NameReference) {
      const name = (node as KNameReference).SimpleName;
      if (name && !name.startsWith('$')) names.add(name); // $left, $right: join sides
    } else if (node.Kind === kinds.FunctionCallExpression) {
      const call = node as KFunctionCall;
      const name = call.Name?.SimpleName;
      if (!name) return;
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
    } else if (node.Kind === kinds.WildcardedName || node.Kind === kinds.BracketedWildcardedName) {
      const text = (node as KSyntaxNode & { SimpleName?: string | null }).SimpleName;
      if (text) wildcards.push(new RegExp(`^${text.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`));
    }
  });
  return { names, namedArguments, wildcards };
}
