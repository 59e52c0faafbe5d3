// What a content lint sees (the bound syntax tree of a rule's query and the rule's schedule) and what it
// reports (a finding at a place in the query or at a rule key). Pure: no Kusto.Language loading here.
import type { LintTree } from './tree.ts';

export interface LintContext {
  tree: LintTree;
  /** The rule's kind; lints about schedules apply to Scheduled rules only. */
  kind: 'Scheduled' | 'NRT' | undefined;
  /** queryFrequency and queryPeriod in minutes, when they parse. */
  frequency: number | undefined;
  period: number | undefined;
}

export interface LintFinding {
  code: string;
  /** An offset into the query (UTF-16 code units), or a top-level rule key. */
  at: { offset: number } | { key: 'queryPeriod' | 'queryFrequency' };
  message: string;
  hint: string;
}

export interface Lint {
  /** Stable code, `lint.<name>`; the key that silences it under `lints:` in a rule. */
  code: string;
  /** One line: what it finds. */
  title: string;
  check(context: LintContext): LintFinding[];
}
