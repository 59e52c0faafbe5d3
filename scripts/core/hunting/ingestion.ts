// Advanced hunting runs a query once, over the period the hunter picks: there are no back-to-back
// scheduled windows for a late event to fall between, so a rule's ingestion-time selection
// (`| where ingestion_time() > ago(…)`, see the lint.ingestion-delay lint) has no purpose there and
// the Defender form drops it. The widened TimeGenerated window stays. Read from the syntax tree.
import { conjuncts, functionName, is, unwrap, type LNode } from '../lint/tree.ts';

export interface Removal {
  start: number;
  length: number;
}

const COMPARISONS = [
  'GreaterThanExpression',
  'GreaterThanOrEqualExpression',
  'LessThanExpression',
  'LessThanOrEqualExpression',
  'BetweenExpression',
] as const;

/**
 * The text to delete for each `| where` whose every condition compares ingestion_time() (whole lines
 * when the operator has its lines to itself, a trailing comment included), and a problem for any
 * other use of ingestion_time().
 */
export function ingestionSelections(root: LNode, query: string): { removals: Removal[]; problems: string[] } {
  const removals = new Map<LNode, Removal>();
  const problems: string[] = [];
  const visit = (node: LNode): void => {
    if (functionName(node) === 'ingestion_time') {
      const filter = enclosingFilter(node);
      if (filter && filter.Condition && conjuncts(filter.Condition).every(comparesIngestionTime)) {
        if (!removals.has(filter)) removals.set(filter, segment(filter, query));
      } else {
        problems.push(
          `ingestion_time() is used other than in a \`| where\` of its own (offset ${node.TextStart}); advanced hunting has no ingestion-time selection to keep: put it in a where of its own`,
        );
      }
    }
    for (let i = 0; i < node.ChildCount; i++) {
      const child = node.GetChild(i);
      if (child && !child.IsToken) visit(child);
    }
  };
  visit(root);
  return { removals: [...removals.values()], problems };
}

function enclosingFilter(node: LNode): LNode | undefined {
  for (let p = node.Parent; p; p = p.Parent) {
    if (is(p, 'FilterOperator')) return p;
    if (is(p, 'PipeExpression')) return undefined;
  }
  return undefined;
}

function comparesIngestionTime(term: LNode): boolean {
  if (!COMPARISONS.some((k) => is(term, k))) return false;
  return [term.Left, term.Right].some((side) => side && functionName(unwrap(side)) === 'ingestion_time');
}

/** `| where …` from its bar to its end (with a trailing comment), widened to whole lines when nothing else shares them. */
function segment(filter: LNode, query: string): Removal {
  const bar = filter.Parent?.Bar;
  let start = bar ? bar.TextStart : filter.TextStart;
  let end = filter.TextStart + filter.Width;
  const lineStart = query.lastIndexOf('\n', start - 1) + 1;
  const newline = query.indexOf('\n', end);
  const lineEnd = newline === -1 ? query.length : newline;
  const after = query.slice(end, lineEnd).trim();
  if (after === '' || after.startsWith('//')) {
    end = lineEnd;
    if (query.slice(lineStart, start).trim() === '')
      return { start: lineStart, length: (newline === -1 ? query.length : newline + 1) - lineStart };
  }
  while (start > lineStart && (query[start - 1] === ' ' || query[start - 1] === '\t')) start--;
  return { start, length: end - start };
}
