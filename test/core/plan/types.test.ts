import { describe, expect, it } from 'vitest';
import { ACTIONS, countActions, ownershipOf, type Change } from '../../../scripts/core/plan/types.ts';

describe('countActions', () => {
  it("counts every action, zero for the absent ones, in the reporters' order", () => {
    const change = (action: Change['action']): Change => ({ type: 'alertRule', id: action, action, mark: 'noop' });
    const counts = countActions([change('update'), change('create'), change('update'), change('noop')]);
    expect(counts).toStrictEqual({ create: 1, update: 2, delete: 0, noop: 1 });
    expect(ACTIONS).toStrictEqual(['create', 'update', 'delete', 'noop']);
    expect(countActions([])).toStrictEqual({ create: 0, update: 0, delete: 0, noop: 0 });
  });
});

describe('ownershipOf', () => {
  it('records locked and retired rule ids in lower case', () => {
    const lock = { rules: { 'AB-CD': {}, ef: {} }, retired: [{ id: 'GH-IJ' }] };
    expect(ownershipOf('org/repo', lock)).toStrictEqual({
      repository: 'org/repo',
      locked: new Set(['ab-cd', 'ef']),
      retired: new Set(['gh-ij']),
    });
  });

  it('proves nothing without a lock', () => {
    expect(ownershipOf('org/repo', undefined)).toStrictEqual({ repository: 'org/repo', locked: new Set(), retired: new Set() });
  });
});
