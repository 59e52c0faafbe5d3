import { describe, expect, it } from 'vitest';
import { uuidV5, watchlistItemId } from '../../../scripts/core/feed/item-id.ts';

describe('uuidV5', () => {
  it('matches the well-known vector (DNS namespace, "www.example.com")', () => {
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('refuses a namespace that is not a UUID', () => {
    expect(() => uuidV5('not-a-uuid', 'x')).toThrow(new Error('uuidV5: namespace "not-a-uuid" is not a UUID'));
  });
});

describe('watchlistItemId', () => {
  it('is pinned: ids already written to workspaces must never change', () => {
    expect(watchlistItemId('ipsum', '192.0.2.1')).toBe('858f49eb-7b94-569a-8451-cd3efaf75269');
    expect(watchlistItemId('IPsum', 'Host-A')).toBe('fbc38432-4bb2-51ac-bc81-18cde155f9bc');
  });

  it('is a canonical lower-case version-5 GUID', () => {
    expect(watchlistItemId('ipsum', '192.0.2.1')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('is the same for the same (alias, IP), whatever the case and surrounding spaces', () => {
    const id = watchlistItemId('ipsum', '192.0.2.1');
    expect(watchlistItemId(' IPsum ', ' 192.0.2.1\t')).toBe(id);
  });

  it('differs per IP and per alias', () => {
    const ids = new Set([
      watchlistItemId('ipsum', '192.0.2.1'),
      watchlistItemId('ipsum', '192.0.2.10'),
      watchlistItemId('ipsum', '192.0.2.100'),
      watchlistItemId('ipsum-test', '192.0.2.1'),
    ]);
    expect(ids.size).toBe(4);
  });
});
