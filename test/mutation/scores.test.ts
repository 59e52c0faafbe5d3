import { describe, expect, it } from 'vitest';
import { belowThreshold, formatScore, moduleScores, scoreTable, type Report } from './scores.ts';

const mutants = (spec: Record<string, number>) =>
  Object.entries(spec).flatMap(([status, n]) =>
    Array.from({ length: n }, () =>
      status === 'Static'
        ? { status: 'Ignored' as const, statusReason: 'Static mutant (and "ignoreStatic" was enabled)' }
        : { status: status as 'Killed', statusReason: status === 'Ignored' ? 'x is never negative here, so > and >= agree' : undefined },
    ),
  );

describe('per-module mutation scores', () => {
  const report: Report = {
    files: {
      'scripts/core/plan/plan.ts': { mutants: mutants({ Killed: 8, Timeout: 1, Survived: 1, Ignored: 3, Static: 4 }) },
      'scripts/core/feed/ipv4.ts': { mutants: mutants({ Killed: 17, Survived: 1, NoCoverage: 2 }) },
      'scripts/core/plan/types.ts': { mutants: mutants({ Ignored: 2 }) },
    },
  };

  it('score = (killed + timeout) / (killed + timeout + survived + no coverage); equivalents and static mutants set aside', () => {
    expect(moduleScores(report)).toStrictEqual([
      { module: 'feed/ipv4.ts', killed: 17, timeout: 0, survived: 1, noCoverage: 2, equivalent: 0, static: 0, score: 85 },
      { module: 'plan/plan.ts', killed: 8, timeout: 1, survived: 1, noCoverage: 0, equivalent: 3, static: 4, score: 90 },
      { module: 'plan/types.ts', killed: 0, timeout: 0, survived: 0, noCoverage: 0, equivalent: 2, static: 0, score: null },
    ]);
  });

  it('the bar: 90 passes, below fails, nothing to count passes', () => {
    expect(belowThreshold(moduleScores(report)).map((r) => r.module)).toStrictEqual(['feed/ipv4.ts']);
  });

  it('scores are rounded down, so 89.999 never reads 90.00', () => {
    expect([formatScore(89.999), formatScore(90), formatScore(100), formatScore(null)]).toStrictEqual(['89.99', '90.00', '100.00', 'n/a']);
  });

  it('the table has a row per module and a total', () => {
    expect(scoreTable(moduleScores(report)).split('\n')).toStrictEqual([
      '| module | score % | killed | timeout | survived | no coverage | equivalent | static, not run |',
      '|---|---:|---:|---:|---:|---:|---:|---:|',
      '| feed/ipv4.ts | 85.00 | 17 | 0 | 1 | 2 | 0 | 0 |',
      '| plan/plan.ts | 90.00 | 8 | 1 | 1 | 0 | 3 | 4 |',
      '| plan/types.ts | n/a | 0 | 0 | 0 | 0 | 2 | 0 |',
      '| all | 86.66 | 25 | 1 | 2 | 2 | 5 | 4 |',
    ]);
  });
});
