// Every node of a query's syntax tree, walked once per tree. What the query may read (names.ts), the
// watchlists and tables it reads (syntax.ts) and the content lints (lint/tree.ts) each scan this list
// instead of walking the tree again: a walk goes through Kusto.Language's accessors node by node and
// cost about as much as the three checks themselves.
import type { KSyntaxNode, KustoCode } from './kusto.ts';

export interface SyntaxNodes {
  /** Every node (tokens excluded), the root first, depth first in source order: the order of WalkNodes. */
  readonly nodes: readonly KSyntaxNode[];
  /** `kinds[i]` is `nodes[i].Kind`. */
  readonly kinds: readonly number[];
}

const EMPTY: SyntaxNodes = { nodes: [], kinds: [] };
// By the tree's root: a tree never changes once built (analyzing again builds a new one).
const walked = new WeakMap<KSyntaxNode, SyntaxNodes>();

export function syntaxNodes(code: KustoCode): SyntaxNodes {
  const root = code.Syntax;
  if (!root) return EMPTY;
  let found = walked.get(root);
  if (!found) {
    const nodes: KSyntaxNode[] = [];
    const kinds: number[] = [];
    root.WalkNodes((node) => {
      nodes.push(node);
      kinds.push(node.Kind);
    });
    found = { nodes, kinds };
    walked.set(root, found);
  }
  return found;
}
