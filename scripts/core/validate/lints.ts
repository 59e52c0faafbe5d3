// Layer (h): content lints. Warnings about queries that analyze clean but behave badly as scheduled
// rules (late events never alerting, windows the service cuts, downloads at every run, duplicate or
// dropped rows), computed from Kusto.Language's syntax tree by scripts/core/lint/. A rule accepts a
// known case with `lints: { <code>: <reason> }`; the reason is required, and an entry that names no
// lint or silences nothing is reported.
import type { Diagnostic } from '../diagnostics.ts';
import type { KustoCode } from '../kql/kusto.ts';
import { LINT_CODES, runLints } from '../lint/registry.ts';
import { LintTree } from '../lint/tree.ts';
import { parseDuration } from '../model/duration.ts';
import { didYouMean, listOf } from '../text/suggest.ts';
import type { YamlDocument } from '../yaml/document.ts';
import { asRecord } from '../guards.ts';
import { Reporter } from './report.ts';

export const LINTS_KEY = 'lints';
/** The key pattern of `lints:` in schemas/rule.schema.json. */
const CODE_FORMAT = /^lint\.[a-z][a-z-]*$/;

export interface LintInput {
  doc: YamlDocument;
  /** The rule as parsed (read defensively). */
  rule: Record<string, unknown>;
  query: string;
  syntax: KustoCode;
  /** Whether the query analyzed without errors: an unused silence is reported only then. */
  clean: boolean;
}

export function lintDiagnostics(input: LintInput): Diagnostic[] {
  const { doc, rule, query } = input;
  const report = new Reporter(doc);
  const kind = rule.kind === 'Scheduled' || rule.kind === 'NRT' ? rule.kind : undefined;
  const findings = runLints({
    tree: new LintTree(input.syntax, query),
    kind,
    frequency: parseDuration(rule.queryFrequency),
    period: parseDuration(rule.queryPeriod),
  });
  const silenced = silences(report, rule);
  for (const f of findings) {
    if (silenced.has(f.code)) continue;
    if ('offset' in f.at) report.inString('warning', ['query'], f.at.offset, f.code, f.message, f.hint);
    else report.warning([f.at.key], f.code, f.message, f.hint);
  }
  if (input.clean) {
    const fired = new Set(findings.map((f) => f.code));
    for (const code of silenced) {
      if (fired.has(code)) continue;
      report.warning(
        [LINTS_KEY, code],
        'lint.silence-unused',
        `${code} is silenced, but the query no longer triggers it`,
        `Remove the entry from \`${LINTS_KEY}:\`, so that the lint warns again if the problem comes back.`,
        'key',
      );
    }
  }
  return report.diagnostics;
}

/** The valid entries of `lints:` (known code, non-blank reason); reports the others as errors. */
function silences(report: Reporter, rule: Record<string, unknown>): Set<string> {
  const out = new Set<string>();
  for (const [code, reason] of Object.entries(asRecord(rule[LINTS_KEY]) ?? {})) {
    if (!LINT_CODES.includes(code)) {
      if (!CODE_FORMAT.test(code)) continue; // the schema layer reports a key that is not a lint code at all
      report.error(
        [LINTS_KEY, code],
        'lint.silence-unknown',
        `'${code}' is not a lint code`,
        didYouMean(code, LINT_CODES) ?? `Lint codes: ${listOf([...LINT_CODES])}.`,
        'key',
      );
      continue;
    }
    if (typeof reason !== 'string') continue; // the schema layer reports the type
    if (reason.trim() === '') {
      report.error(
        [LINTS_KEY, code],
        'lint.silence-reason',
        `silencing ${code} needs a reason`,
        `Say why the rule is right as it is, e.g. \`${code}: "<why this case is accepted>"\`.`,
        'key',
      );
      continue;
    }
    out.add(code);
  }
  return out;
}
