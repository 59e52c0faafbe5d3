import { describe, expect, it } from 'vitest';
import { watchlistItemId } from '../../../scripts/core/feed/item-id.ts';
import { countWrites, itemWrites } from '../../../scripts/core/sync/ops.ts';
import type { ItemShape } from '../../../scripts/core/sync/settings.ts';

const shape: ItemShape = { searchKey: 'IPAddress', scoreColumn: 'Score', columns: ['IPAddress', 'Score'] };

describe('itemWrites', () => {
  it('orders duplicate deletions, adds, updates, removals; adds use the deterministic id, the rest the live id', () => {
    const writes = itemWrites(
      {
        add: [{ ip: '1.1.1.1', score: 4, id: watchlistItemId('ipsum', '1.1.1.1') }],
        remove: [{ id: 'live-r', key: ' 3.3.3.3 ' }],
        update: [{ item: { id: 'live-u', key: '2.2.2.2', score: 5 }, ip: '2.2.2.2', from: 5, to: 7 }],
        unchanged: 9,
        duplicates: [{ id: 'live-d', key: '2.2.2.2', score: 5 }],
      },
      shape,
    );
    expect(writes).toEqual([
      { kind: 'duplicate', id: 'live-d', ip: '2.2.2.2' },
      { kind: 'add', id: watchlistItemId('ipsum', '1.1.1.1'), ip: '1.1.1.1', values: { IPAddress: '1.1.1.1', Score: '4' } },
      { kind: 'update', id: 'live-u', ip: '2.2.2.2', values: { IPAddress: '2.2.2.2', Score: '7' } },
      { kind: 'remove', id: 'live-r', ip: '3.3.3.3' },
    ]);
    expect(countWrites(writes)).toEqual({ duplicate: 1, add: 1, update: 1, remove: 1 });
  });
});
