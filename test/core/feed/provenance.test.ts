import { describe, expect, it } from 'vitest';
import {
  DESCRIPTION_MAX_LENGTH,
  type ProvenanceState,
  decodeProvenance,
  encodeProvenance,
  monthOf,
} from '../../../scripts/core/feed/provenance.ts';

const human = 'IPv4 addresses listed by at least 4 public blocklists, aggregated daily by IPsum.\nDo not edit by hand.';
const full: ProvenanceState = {
  feedUpdated: '2026-08-22T01:00:29Z',
  sha256: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  items: 5354,
  month: '2026-08',
  changes: 1234,
  syncedAt: '2026-08-22T02:10:00Z',
  etag: 'W/"8f3a] "quoted" \\ ]"',
  lastModified: 'Sat, 22 Aug 2026 01:00:29 GMT',
};

describe('provenance', () => {
  it('puts the human text first and one compact block on the last line', () => {
    const text = encodeProvenance(human, {
      items: 5354,
      month: '2026-08',
      changes: 1234,
      feedUpdated: '2026-08-22T01:00:29Z',
      sha256: 'ABCDEF0123456789',
    });
    expect(text).toBe(`${human}\n[sync v1 feed=2026-08-22T01:00:29Z sha256=abcdef012345 items=5354 month=2026-08 changes=1234]`);
  });

  it('round-trips every field, quoting validators with spaces, quotes and brackets', () => {
    const decoded = decodeProvenance(encodeProvenance(human, full));
    expect(decoded.human).toBe(human);
    expect(decoded.state).toEqual({ ...full, sha256: '0123456789ab' });
  });

  it('replaces an existing block instead of stacking a second one', () => {
    const once = encodeProvenance(human, full);
    const twice = encodeProvenance(once, { ...full, changes: 2000 });
    expect(twice.match(/\[sync v1 /g)).toHaveLength(1);
    expect(decodeProvenance(twice).state?.changes).toBe(2000);
    expect(decodeProvenance(twice).human).toBe(human);
  });

  it('finds the block when the newline before it became a space', () => {
    const flattened = encodeProvenance(human, full).replace(/\n\[sync/, ' [sync');
    expect(decodeProvenance(flattened).state?.items).toBe(5354);
  });

  it.each([
    ['no description', undefined, ''],
    ['no block', human, human],
    ['a block cut short', `${human}\n[sync v1 items=5354 month=2026-08 chan`, human],
    ['a missing required field', `${human}\n[sync v1 items=5354 changes=3]`, human],
    ['a bad month', `${human}\n[sync v1 items=1 month=2026-13 changes=3]`, human],
    ['a negative count', `${human}\n[sync v1 items=1 month=2026-08 changes=-3]`, human],
    ['an unterminated quoted value', `${human}\n[sync v1 items=1 month=2026-08 changes=3 etag="abc]`, human],
    ['stray text between fields', `${human}\n[sync v1 items=1 month=2026-08 ??? changes=3]`, human],
    ['a newer version', `${human}\n[sync v2 items=1 month=2026-08 changes=3]`, human],
    [
      'a marker inside the text, followed by more lines',
      `see [sync v1 items=1 month=2026-08 changes=3]\nmore`,
      'see [sync v1 items=1 month=2026-08 changes=3]\nmore',
    ],
  ])('tolerates %s: no state, never throws', (_name, description, expectedHuman) => {
    const decoded = decodeProvenance(description);
    expect(decoded.state).toBeUndefined();
    expect(decoded.human).toBe(expectedHuman);
  });

  it('says whether the sync marker is there at all: a missing line is told from an unreadable one', () => {
    expect(
      [undefined, human, `${human}\n[sync v1 items=x]`, encodeProvenance(human, full)].map((d) => decodeProvenance(d).hasBlock),
    ).toEqual([false, false, true, true]);
  });

  it('ignores unknown fields inside a v1 block (added by a later v1 writer)', () => {
    expect(decodeProvenance('[sync v1 items=7 month=2026-08 changes=3 future=x]').state).toEqual({
      items: 7,
      month: '2026-08',
      changes: 3,
    });
  });

  it('keeps within the description limit by shortening the human part, never the block', () => {
    const text = encodeProvenance('x'.repeat(5000), full);
    expect(text.length).toBeLessThanOrEqual(DESCRIPTION_MAX_LENGTH);
    expect(decodeProvenance(text).state).toEqual({ ...full, sha256: '0123456789ab' });
    expect(decodeProvenance(text).human.endsWith('…')).toBe(true);
  });

  it.each([
    ['a bad month', { items: 1, month: '2026-8', changes: 0 }],
    ['a negative tally', { items: 1, month: '2026-08', changes: -1 }],
    ['a fractional count', { items: 1.5, month: '2026-08', changes: 0 }],
  ])('refuses to encode %s (it would not decode, and the tally would reset)', (_name, state) => {
    expect(() => encodeProvenance(human, state)).toThrow(
      new Error(`encodeProvenance: invalid state ${JSON.stringify(state)} (this is a bug)`),
    );
  });

  it('drops an absurdly long validator instead of the block', () => {
    const decoded = decodeProvenance(encodeProvenance(human, { ...full, etag: 'e'.repeat(5000) }));
    expect(decoded.state?.etag).toBeUndefined();
    expect(decoded.state?.lastModified).toBe(full.lastModified);
  });
});

describe('monthOf', () => {
  it('uses the UTC month', () => {
    expect(monthOf(new Date('2026-08-31T23:30:00-02:00'))).toBe('2026-09');
  });
});
