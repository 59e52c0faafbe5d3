import { describe, expect, it } from 'vitest';
import { createBody } from '../../../scripts/core/compile/watchlist.ts';
import { describeBody, uploadBody } from '../../../scripts/core/sync/bodies.ts';

describe('watchlist bodies', () => {
  it('creation: the compiled body plus the upload and the provenance description', () => {
    const body = createBody(
      { properties: { displayName: 'IPsum', provider: 'p', itemsSearchKey: 'IPAddress', description: 'old', labels: ['a'] } },
      'new',
      'IPAddress\n1.1.1.1\n',
    );
    expect(body).toEqual({
      properties: {
        displayName: 'IPsum',
        provider: 'p',
        itemsSearchKey: 'IPAddress',
        labels: ['a'],
        description: 'new',
        sourceType: 'Local',
        contentType: 'text/csv',
        numberOfLinesToSkip: 0,
        rawContent: 'IPAddress\n1.1.1.1\n',
      },
    });
  });

  it('description update: the live writable properties only, no upload, no server-managed fields', () => {
    const live = {
      displayName: 'IPsum',
      provider: 'p',
      source: 'ipsum.txt',
      sourceType: 'Local',
      itemsSearchKey: 'IPAddress',
      labels: ['x'],
      description: 'old',
      watchlistId: 'w',
      provisioningState: 'Succeeded',
      uploadStatus: 'Complete',
      created: 'c',
      updatedBy: {},
      tenantId: 't',
      defaultDuration: null,
    };
    expect(describeBody(live, 'new')).toEqual({
      properties: {
        displayName: 'IPsum',
        provider: 'p',
        source: 'ipsum.txt',
        sourceType: 'Local',
        itemsSearchKey: 'IPAddress',
        labels: ['x'],
        description: 'new',
      },
    });
  });

  it('an upload body is the description body plus the CSV rows, with the etag that guards the write', () => {
    const live = { displayName: 'IPsum', itemsSearchKey: 'IPAddress', provisioningState: 'Succeeded' };
    expect(uploadBody(live, 'new', 'IPAddress\n1.2.3.4\n', 'W/"1"')).toStrictEqual({
      etag: 'W/"1"',
      properties: {
        displayName: 'IPsum',
        itemsSearchKey: 'IPAddress',
        description: 'new',
        contentType: 'text/csv',
        numberOfLinesToSkip: 0,
        rawContent: 'IPAddress\n1.2.3.4\n',
      },
    });
  });
});
