// The provenance block at its edges: exact encodings, what decodes and what does not.
import { describe, expect, it } from 'vitest';
import { decodeProvenance, DESCRIPTION_MAX_LENGTH, encodeProvenance } from '../../../scripts/core/feed/provenance.ts';

const state = { items: 5, month: '2026-08', changes: 7 };
const BLOCK = '[sync v1 items=5 month=2026-08 changes=7]';

describe('encodeProvenance', () => {
  it('empty values are left out; bare tokens stay bare, anything else is a JSON string', () => {
    expect(
      encodeProvenance('Human.', {
        ...state,
        etag: '',
        lastModified: 'Sat, 22 Aug 2026 01:00:29 GMT',
        feedUpdated: '2026-08-22T01:00:29Z',
        syncedAt: '',
      }),
    ).toBe('Human.\n[sync v1 feed=2026-08-22T01:00:29Z items=5 month=2026-08 changes=7 lastModified="Sat, 22 Aug 2026 01:00:29 GMT"]');
    expect(encodeProvenance('', { ...state, etag: 'W/"abc"' })).toBe('[sync v1 items=5 month=2026-08 changes=7 etag="W/\\"abc\\""]');
  });

  it('no human text: the block alone, no leading line break', () => {
    expect(encodeProvenance('', state)).toBe(BLOCK);
    expect(encodeProvenance('   \n', state)).toBe(BLOCK);
  });

  it('the human text is kept whole when it fits exactly, shortened (trailing space dropped) when it does not', () => {
    const room = DESCRIPTION_MAX_LENGTH - BLOCK.length - 1;
    const fits = 'a'.repeat(room);
    expect(encodeProvenance(fits, state)).toBe(`${fits}\n${BLOCK}`);
    const over = `  ${'b'.repeat(room - 4)}   c`;
    expect(encodeProvenance(over, state)).toBe(`  ${'b'.repeat(room - 4)}…\n${BLOCK}`);
  });

  it.each([
    [{ items: 0, month: '2026-08', changes: 0 }, true],
    [{ items: 999_999_999, month: '2026-12', changes: 999_999_999 }, true],
    [{ items: 1_000_000_000, month: '2026-08', changes: 0 }, false],
    [{ items: 1, month: '2026-08', changes: 1_000_000_000 }, false],
  ])('counts from 0 to 999,999,999: %j', (s, ok) => {
    if (ok) expect(decodeProvenance(encodeProvenance('h', s)).state).toStrictEqual(s);
    else expect(() => encodeProvenance('h', s)).toThrow(new Error(`encodeProvenance: invalid state ${JSON.stringify(s)} (this is a bug)`));
  });

  it('a validator of 200 characters is kept, of 201 dropped', () => {
    expect(decodeProvenance(encodeProvenance('', { ...state, etag: 'e'.repeat(200) })).state?.etag).toBe('e'.repeat(200));
    expect(decodeProvenance(encodeProvenance('', { ...state, etag: 'e'.repeat(201) })).state).toStrictEqual(state);
  });
});

describe('decodeProvenance', () => {
  it('the minimal block decodes to exactly its three fields; the human text keeps its leading spaces', () => {
    expect(decodeProvenance(`  Human text.  \n${BLOCK}   `)).toStrictEqual({ human: '  Human text.', state, hasBlock: true });
    expect(decodeProvenance('  Only text.  ')).toStrictEqual({ human: '  Only text.', hasBlock: false });
  });

  it('a space before the closing bracket is fine', () => {
    expect(decodeProvenance('[sync v1 items=5 month=2026-08 changes=7 ]').state).toStrictEqual(state);
  });

  it.each([
    ['glued to the text before it', `Text${BLOCK}`, `Text${BLOCK}`],
    ['without its closing bracket', 'T\n[sync v1 items=5 month=2026-08 changes=70', 'T'],
    ['with a value that is not a JSON string', 'T\n[sync v1 items=5 month=2026-08 changes=7 etag="\\q"]', 'T'],
    ['without items', 'T\n[sync v1 month=2026-08 changes=7]', 'T'],
    ['without changes', 'T\n[sync v1 items=5 month=2026-08]', 'T'],
    ['without month', 'T\n[sync v1 items=5 changes=7]', 'T'],
    ['with a ten-digit count', 'T\n[sync v1 items=1234567890 month=2026-08 changes=7]', 'T'],
    ['with a count that is not a number', 'T\n[sync v1 items=5x month=2026-08 changes=7]', 'T'],
    ['of another version', 'T\n[sync v2 items=5 month=2026-08 changes=7]', 'T'],
    ['with stray text between fields', 'T\n[sync v1 items=5 ?? month=2026-08 changes=7]', 'T'],
  ])('a block %s does not decode', (_label, description, human) => {
    expect(decodeProvenance(description)).toStrictEqual({ human, hasBlock: true });
  });
});
