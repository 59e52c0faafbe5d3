// The content lints, in the order they are documented (docs/validate.md, "Content lints"). Each is a warning
// with a stable code; a rule silences one with `lints: { <code>: <reason> }`.
import { joinKindDefault, joinUnique } from './join-lints.ts';
import { networkDependency } from './network-lint.ts';
import { ingestionDelay, periodUnused, windowBeyondPeriod } from './time-lints.ts';
import type { Lint, LintContext, LintFinding } from './types.ts';

export const LINTS: readonly Lint[] = [ingestionDelay, windowBeyondPeriod, periodUnused, networkDependency, joinUnique, joinKindDefault];

export const LINT_CODES: readonly string[] = LINTS.map((l) => l.code);

/** Every lint's findings for one query, in query order (rule-key findings first). */
export function runLints(context: LintContext): LintFinding[] {
  const findings = LINTS.flatMap((lint) => lint.check(context));
  const offset = (f: LintFinding): number => ('offset' in f.at ? f.at.offset : -1);
  return findings.sort((a, b) => offset(a) - offset(b) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
