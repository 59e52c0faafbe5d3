// Rule parameters: KQL literals both ways, value checks with their exact words, let substitution.
import { describe, expect, it } from 'vitest';
import {
  parameterValueProblem,
  parseKqlLiteral,
  renderKqlLiteral,
  substituteLets,
  type LetBinding,
} from '../../../scripts/core/model/parameters.ts';
import type { ParameterType, ParameterYaml } from '../../../scripts/core/model/yaml-types.ts';

const decl = (type: ParameterType, more: Partial<ParameterYaml> = {}): ParameterYaml => ({ type, description: 'd', ...more });

describe('renderKqlLiteral', () => {
  it.each([
    ['int', 4, '4'],
    ['long', -12, '-12'],
    ['real', 0.5, '0.5'],
    ['bool', true, 'true'],
    ['bool', false, 'false'],
    ['timespan', '30m', '30m'],
    ['string', "it's a \\ path", "'it\\'s a \\\\ path'"],
    ['int[]', [25, 443], 'dynamic([25, 443])'],
    ['int[]', [], 'dynamic([])'],
    ['string[]', ['a', 'b"c'], 'dynamic(["a", "b\\"c"])'],
  ] as [ParameterType, never, string][])('%s %j → %s', (type, value, expected) => {
    expect(renderKqlLiteral(type, value)).toBe(expected);
  });
});

describe('parseKqlLiteral', () => {
  it.each([
    ['int', ' 42 ', 42],
    ['long', '-7', -7],
    ['int', '4.5', undefined],
    ['int', 'x4', undefined],
    ['int', '4x', undefined],
    ['int', '', undefined],
    ['real', '0.25', 0.25],
    ['real', '-3', -3],
    ['real', '12', 12],
    ['real', '1.', undefined],
    ['real', 'a1.5', undefined],
    ['real', '1.5a', undefined],
    ['real', '1.5.5', undefined],
    ['real', '-', undefined],
    ['bool', 'true', true],
    ['bool', 'false', false],
    ['bool', 'True', undefined],
    ['bool', '', undefined],
    ['timespan', '30m', '30m'],
    ['timespan', '1.5h', '1.5h'],
    ['timespan', '100ms', '100ms'],
    ['timespan', '2d', '2d'],
    ['timespan', '5microsecond', '5microsecond'],
    ['timespan', '7tick', '7tick'],
    ['timespan', '10s', '10s'],
    ['timespan', 'x30m', undefined],
    ['timespan', '30mx', undefined],
    ['timespan', '30', undefined],
    ['timespan', '1.h', undefined],
    ['string', "'single'", 'single'],
    ['string', '"double"', 'double'],
    ['string', "''", ''],
    ['string', '""', ''],
    ['string', "'it\\'s'", "it's"],
    ['string', '"say \\"hi\\""', 'say "hi"'],
    ['string', "'a\\\\b'", 'a\\b'],
    ['string', "x'a'", undefined],
    ['string', "'a'x", undefined],
    ['string', "'a'b'", undefined],
    ['string', '"a"b"', undefined],
    ['string', 'plain', undefined],
    ['int[]', 'dynamic([25, 443])', [25, 443]],
    ['int[]', 'dynamic( [ ] )', []],
    ['int[]', 'dynamic([25, "x"])', undefined],
    ['int[]', 'dynamic([25,])', undefined],
    ['int[]', 'dynamic({"a": 1})', undefined],
    ['int[]', 'xdynamic([1])', undefined],
    ['int[]', 'dynamic([1])x', undefined],
    ['int[]', '[1]', undefined],
    ['string[]', "dynamic(['a', 'b'])", ['a', 'b']],
    ['string[]', 'dynamic(["a"])', ['a']],
    ['string[]', 'dynamic([1])', undefined],
  ] as [ParameterType, string, unknown][])('%s %j → %j', (type, text, expected) => {
    expect(parseKqlLiteral(type, text)).toStrictEqual(expected);
  });

  it('round-trips what renderKqlLiteral writes', () => {
    const values: [ParameterType, unknown][] = [
      ['int', 3],
      ['real', 2.5],
      ['bool', false],
      ['timespan', '1h'],
      ['string', "a'b\\c"],
      ['int[]', [1, 2]],
      ['string[]', ['x', 'y']],
    ];
    for (const [type, value] of values) expect(parseKqlLiteral(type, renderKqlLiteral(type, value as never))).toStrictEqual(value);
  });
});

describe('parameterValueProblem: the exact words a workspace override is refused with', () => {
  it.each([
    [decl('int'), 4, undefined],
    [decl('int'), 4.5, 'expected a whole number, got 4.5'],
    [decl('long'), '4', 'expected a whole number, got "4"'],
    [decl('real'), 4.5, undefined],
    [decl('real'), '4.5', 'expected a number, got "4.5"'],
    [decl('bool'), false, undefined],
    [decl('bool'), 'false', 'expected true or false, got "false"'],
    [decl('timespan'), '30m', undefined],
    [decl('timespan'), '30 minutes', 'expected a KQL timespan like 1h or 30m, got "30 minutes"'],
    [decl('timespan'), 30, 'expected a KQL timespan like 1h or 30m, got 30'],
    [decl('string'), 'x', undefined],
    [decl('string'), 7, 'expected a string, got 7'],
    [decl('string'), null, 'expected a string, got null'],
    [decl('string'), undefined, 'expected a string, got undefined'],
    [decl('int[]'), [1, 2], undefined],
    [decl('int[]'), 1, 'expected a list (int[]), got 1'],
    [decl('int[]'), [1, 'x'], 'expected a whole number, got "x"'],
    [decl('string[]'), [['a']], 'expected a string, got a list'],
    [decl('string[]'), [], undefined],
    [decl('int', { minimum: 4, maximum: 10 }), 4, undefined],
    [decl('int', { minimum: 4, maximum: 10 }), 10, undefined],
    [decl('int', { minimum: 4, maximum: 10 }), 3, '3 is below the minimum 4'],
    [decl('int', { minimum: 4, maximum: 10 }), 11, '11 is above the maximum 10'],
    [decl('int[]', { minimum: 1, maximum: 65535 }), [80, 0], '0 is below the minimum 1'],
    [decl('real', { maximum: 1 }), 1.5, '1.5 is above the maximum 1'],
    [decl('string', { allowed: ['Low', 'High'] }), 'High', undefined],
    [decl('string', { allowed: ['Low', 'High'] }), 'Medium', '"Medium" is not one of the allowed values "Low", "High"'],
    [decl('int', { allowed: [25, 443] }), 80, '80 is not one of the allowed values 25, 443'],
    [decl('string', { minimum: 4 }), 'a', undefined],
  ] as [ParameterYaml, unknown, string | undefined][])('%j with %j', (d, value, expected) => {
    expect(parameterValueProblem(d, value)).toBe(expected);
  });
});

describe('substituteLets', () => {
  const query = 'let A = 1;\nlet B = "x";\nT | where a > A and b == B';
  const lets: LetBinding[] = [
    { name: 'A', valueStart: 8, valueLength: 1, valueText: '1', literal: true },
    { name: 'B', valueStart: 19, valueLength: 3, valueText: '"x"', literal: true },
  ];

  it('replaces each named value in place, back to front, whatever the order of the bindings', () => {
    const values = new Map([
      ['A', '100'],
      ['B', "'longer value'"],
    ]);
    const expected = "let A = 100;\nlet B = 'longer value';\nT | where a > A and b == B";
    expect(substituteLets(query, lets, values)).toBe(expected);
    expect(substituteLets(query, [...lets].reverse(), values)).toBe(expected);
  });

  it('leaves lets without a value as they are', () => {
    expect(substituteLets(query, lets, new Map([['B', "'y'"]]))).toBe("let A = 1;\nlet B = 'y';\nT | where a > A and b == B");
    expect(substituteLets(query, lets, new Map())).toBe(query);
  });
});
