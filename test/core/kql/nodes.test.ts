// The one walk over a query's syntax tree that names.ts, syntax.ts and the lints share.
import { describe, expect, it } from 'vitest';
import { kusto, type KSyntaxNode } from '../../../scripts/core/kql/kusto.ts';
import { syntaxNodes } from '../../../scripts/core/kql/nodes.ts';
import { LintTree } from '../../../scripts/core/lint/tree.ts';

const QUERY = 'let w = 1h;\nT | where TimeGenerated > ago(w) | join kind=inner (U | lookup V on Id) on Id | summarize count() by Id';

function walked(root: KSyntaxNode): KSyntaxNode[] {
  const out: KSyntaxNode[] = [];
  root.WalkNodes((node) => out.push(node));
  return out;
}

describe('syntaxNodes', () => {
  it('lists the nodes WalkNodes visits, in its order, with their kinds', () => {
    const code = kusto().KustoCode.Parse(QUERY, kusto().GlobalState.Default);
    const { nodes, kinds } = syntaxNodes(code);
    expect(nodes).toStrictEqual(walked(code.Syntax!));
    expect(kinds).toStrictEqual(nodes.map((n) => n.Kind));
  });

  it('walks a tree once: the same lists for the same tree, new ones for a tree analyzed again', () => {
    const k = kusto();
    const code = k.KustoCode.Parse(QUERY, k.GlobalState.Default);
    expect(syntaxNodes(code)).toBe(syntaxNodes(code));
    const again = code.Analyze(k.GlobalState.Default);
    expect(again.Syntax).not.toBe(code.Syntax);
    expect(syntaxNodes(again)).not.toBe(syntaxNodes(code));
    expect(syntaxNodes(again).nodes).toStrictEqual(walked(again.Syntax!));
  });
});

describe('LintTree.ofKind', () => {
  it('the nodes of the given kinds, in source order, each list the same on the next call', () => {
    const code = kusto().KustoCode.Parse(QUERY, kusto().GlobalState.Default);
    const tree = new LintTree(code, QUERY);
    const kinds = kusto().Syntax.SyntaxKind;
    const expected = walked(code.Syntax!).filter((n) => n.Kind === kinds.JoinOperator || n.Kind === kinds.LookupOperator);
    expect(expected.map((n) => QUERY.slice(n.TextStart, n.TextStart + n.Width).split(' ')[0])).toStrictEqual(['join', 'lookup']);
    expect(tree.ofKind('JoinOperator', 'LookupOperator')).toStrictEqual(expected);
    expect(tree.ofKind('LookupOperator', 'JoinOperator')).toStrictEqual(expected);
    expect(tree.ofKind('JoinOperator', 'LookupOperator')).toBe(tree.ofKind('JoinOperator', 'LookupOperator'));
    expect(tree.ofKind('JoinOperator')).toStrictEqual([expected[0]]);
    expect(tree.ofKind('ScanOperator')).toStrictEqual([]);
    expect(tree.nodes()).toStrictEqual(walked(code.Syntax!));
  });
});
