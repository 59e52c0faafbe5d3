// liveShapeProblem: when a live watchlist cannot be synced as defined.
import { describe, expect, it } from 'vitest';
import { liveShapeProblem } from '../../../scripts/core/sync/plan.ts';
import type { ItemShape } from '../../../scripts/core/sync/settings.ts';

const shape: ItemShape = { searchKey: 'IPAddress', scoreColumn: 'Score', columns: ['IPAddress', 'Score'] };
const busy = (state: string) =>
  `Watchlist ipsum is ${state} (not Succeeded): its items cannot be read or written now. Run the sync again once the operation has finished.`;

describe('liveShapeProblem', () => {
  it.each([
    [{ provisioningState: 'Succeeded' }, undefined],
    [{ provisioningState: 'succeeded' }, undefined],
    [{ provisioningState: 'SucceededWithWarnings' }, busy('SucceededWithWarnings')],
    [{ provisioningState: 'NotSucceeded' }, busy('NotSucceeded')],
    [{ provisioningState: 'Failed' }, busy('Failed')],
    [{ provisioningState: 7 }, undefined],
    [{}, undefined],
    [{ itemsSearchKey: 'IPADDRESS' }, undefined],
    [{ itemsSearchKey: 42 }, undefined],
  ])('%j', (properties, problem) => {
    expect(liveShapeProblem('ipsum', shape, properties)).toBe(problem);
  });

  it('a different search key is reported before a busy state', () => {
    expect(liveShapeProblem('ipsum', shape, { itemsSearchKey: 'Ip', provisioningState: 'Deleting' })).toBe(
      "Watchlist ipsum in this workspace has itemsSearchKey 'Ip', the definition says 'IPAddress'. The sync never deletes and re-creates a watchlist: change the definition back, or fix the watchlist by hand.",
    );
  });
});
