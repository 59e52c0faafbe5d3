import { describe, expect, it } from 'vitest';
import { operatorFromApi, OPERATORS, splitTechniques } from '../../../scripts/core/model/rule.ts';

describe('operators', () => {
  it('each API operator maps back to the rule format; anything else to nothing', () => {
    expect(Object.values(OPERATORS).map(operatorFromApi)).toEqual(['gt', 'lt', 'eq', 'ne']);
    expect(operatorFromApi('GreaterThanOrEqual')).toBeUndefined();
    expect(operatorFromApi('gt')).toBeUndefined();
  });
});

describe('splitTechniques', () => {
  it('base techniques and sub-techniques, each sorted and unique', () => {
    expect(splitTechniques(['T1190', 'T1059.001', 'T1059', 'T1078.004', 'T1003.002', 'T1003.001', 'T1190'])).toStrictEqual({
      techniques: ['T1003', 'T1059', 'T1078', 'T1190'],
      subTechniques: ['T1003.001', 'T1003.002', 'T1059.001', 'T1078.004'],
    });
    expect(splitTechniques([])).toStrictEqual({ techniques: [], subTechniques: [] });
  });
});
