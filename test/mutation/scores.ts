// Per-module scores from Stryker's JSON report (mutation-testing-report-schema), for the table
// `npm run mutate` prints and the 90% bar it enforces per module.

/** The bar every mutated module must reach, after examined equivalents (Stryker disable comments). */
export const MODULE_THRESHOLD = 90;

type Status = 'Killed' | 'Timeout' | 'Survived' | 'NoCoverage' | 'Ignored' | 'CompileError' | 'RuntimeError' | 'Pending';

export interface Report {
  files: Record<string, { mutants: readonly { status: Status; statusReason?: string }[] }>;
}

/** Stryker's reason for a mutant that ignoreStatic set aside (executed only outside tests, never run). */
const STATIC_REASON = 'Static mutant';

export interface ModuleScore {
  module: string;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  /** Examined equivalents, set aside with a Stryker disable comment and its reason. */
  equivalent: number;
  /** Executed only while modules load or fixtures are built, never inside a test: not run (ignoreStatic). */
  static: number;
  /** Killed or timed out, over killed + timed out + survived + not covered; null when nothing counts. */
  score: number | null;
}

export function moduleScores(report: Report, root = 'scripts/core/'): ModuleScore[] {
  return Object.entries(report.files)
    .map(([file, { mutants }]) => {
      const count = (status: Status) => mutants.filter((m) => m.status === status).length;
      const killed = count('Killed');
      const timeout = count('Timeout');
      const survived = count('Survived');
      const noCoverage = count('NoCoverage');
      const counted = killed + timeout + survived + noCoverage;
      return {
        module: file.startsWith(root) ? file.slice(root.length) : file,
        killed,
        timeout,
        survived,
        noCoverage,
        equivalent: mutants.filter((m) => m.status === 'Ignored' && !m.statusReason?.startsWith(STATIC_REASON)).length,
        static: mutants.filter((m) => m.status === 'Ignored' && m.statusReason?.startsWith(STATIC_REASON) === true).length,
        score: counted === 0 ? null : (100 * (killed + timeout)) / counted,
      };
    })
    .sort((a, b) => (a.module < b.module ? -1 : a.module > b.module ? 1 : 0));
}

/** Rounded down to two decimals, so that 89.999 never shows as 90.00. */
export function formatScore(score: number | null): string {
  return score === null ? 'n/a' : (Math.floor(score * 100) / 100).toFixed(2);
}

export function scoreTable(rows: readonly ModuleScore[]): string {
  const header = '| module | score % | killed | timeout | survived | no coverage | equivalent | static, not run |';
  const lines = rows.map(
    (r) =>
      `| ${r.module} | ${formatScore(r.score)} | ${r.killed} | ${r.timeout} | ${r.survived} | ${r.noCoverage} | ${r.equivalent} | ${r.static} |`,
  );
  const sum = (pick: (r: ModuleScore) => number) => rows.reduce((n, r) => n + pick(r), 0);
  const killed = sum((r) => r.killed);
  const timeout = sum((r) => r.timeout);
  const counted = killed + timeout + sum((r) => r.survived) + sum((r) => r.noCoverage);
  const total = counted === 0 ? null : (100 * (killed + timeout)) / counted;
  const totals = `| all | ${formatScore(total)} | ${killed} | ${timeout} | ${sum((r) => r.survived)} | ${sum((r) => r.noCoverage)} | ${sum((r) => r.equivalent)} | ${sum((r) => r.static)} |`;
  return [header, '|---|---:|---:|---:|---:|---:|---:|---:|', ...lines, totals].join('\n');
}

/** Modules under the bar (a module with nothing to count has nothing to miss). */
export function belowThreshold(rows: readonly ModuleScore[], threshold = MODULE_THRESHOLD): ModuleScore[] {
  return rows.filter((r) => r.score !== null && r.score < threshold);
}
