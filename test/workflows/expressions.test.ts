import { describe, expect, it } from 'vitest';
import { condition, evaluate, interpolate, type Contexts } from './expressions.ts';

const contexts: Contexts = {
  github: {
    repository: 'org/repo',
    event_name: 'workflow_dispatch',
    event: { pull_request: { number: 7, head: { repo: { full_name: 'someone/fork' } } } },
  },
  inputs: { 'dry-run': true, environment: 'prod', shards: 3 },
  matrix: { environment: 'dev' },
  needs: { check: { outputs: { shards: '[1,2]' } } },
  env: { SAME_REPO: 'false' },
  steps: { install: { outcome: 'success', outputs: { n: '2' } } },
};

describe('evaluate', () => {
  it.each([
    ["'it''s'", "it's"],
    ['42', 42],
    ['true && 0', 0],
    ["null || 'fallback'", 'fallback'],
    ['github.repository', 'org/repo'],
    ['GITHUB.Repository', 'org/repo'],
    ["github['event_name']", 'workflow_dispatch'],
    ['github.event.pull_request.head.repo.full_name == github.repository', false],
    ["'ABC' == 'abc'", true],
    ["'3' == 3", true],
    ["inputs.dry-run && 'true' || ''", 'true'],
    ["inputs.missing && 'true' || ''", ''],
    ["!cancelled() && steps.install.outcome == 'success'", true],
    ['steps.install.outputs.n >= 2', true],
    ['fromJSON(needs.check.outputs.shards)', [1, 2]],
    ['format(\'["{0}"]\', inputs.environment)', '["prod"]'],
    [
      "fromJSON((inputs.environment == 'dev' || inputs.environment == 'prod') && format('[\"{0}\"]', inputs.environment) || '[\"dev\",\"prod\"]')",
      ['prod'],
    ],
    ['contains(fromJSON(\'["a","b"]\'), \'B\')', true],
    ["startsWith(github.repository, 'org/')", true],
    ["format('{{literal}} {0}', 1)", '{literal} 1'],
    ['github.nothing.deeper', null],
  ])('%s → %j', (expression, expected) => {
    expect(evaluate(expression, contexts)).toEqual(expected);
  });

  it.each([
    ["'open", /unterminated string/],
    ['github.', /expected a property name/],
    ['nope(1)', /unknown function nope\(\)/],
    ['1 2', /unexpected '2'/],
  ])('refuses %s', (expression, message) => {
    expect(() => evaluate(expression, contexts)).toThrow(message);
  });
});

describe('interpolate', () => {
  it('replaces each expression as the runner prints it', () => {
    expect(interpolate('${{ matrix.environment }}/${{ inputs.shards }} ${{ inputs.nothing }}|${{ inputs.dry-run }}', contexts)).toBe(
      'dev/3 |true',
    );
  });
});

describe('condition', () => {
  it.each([
    [undefined, 'success', true],
    [undefined, 'failure', false],
    ["env.SAME_REPO == 'true'", 'success', false],
    ["env.SAME_REPO != 'true'", 'success', true],
    ["env.SAME_REPO != 'true'", 'failure', false],
    ['${{ !cancelled() }}', 'failure', true],
    ['${{ always() }}', 'cancelled', true],
    ['${{ !cancelled() }}', 'cancelled', false],
    ['failure()', 'failure', true],
  ] as const)('if: %s with status %s → %s', (source, status, expected) => {
    expect(condition(source, contexts, { status })).toBe(expected);
  });
});
