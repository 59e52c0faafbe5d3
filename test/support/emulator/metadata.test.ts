import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './server.ts';
import { client, scopeOf } from './test-client.ts';

let emulator: Emulator;
let call: ReturnType<typeof client>;

beforeAll(async () => {
  emulator = await startEmulator({ pageSize: { metadata: 2 } });
  call = client(emulator);
});
beforeEach(() => emulator.reset());
afterAll(() => emulator.close());

const mark = (rule: string, extra: Record<string, unknown> = {}) => ({
  properties: {
    kind: 'AnalyticsRule',
    parentId: `${scopeOf()}/alertRules/${rule}`,
    contentId: rule,
    version: '1.0.0',
    source: { kind: 'SourceRepository', name: 'sentinel-detections' },
    ...extra,
  },
});

describe('metadata (ownership mark)', () => {
  it('creates (201), updates (200), reads, lists in pages, deletes', async () => {
    const created = await call('PUT', 'metadata/rule-1', mark('rule-1'));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'rule-1',
      type: 'Microsoft.SecurityInsights/metadata',
      etag: expect.any(String),
      properties: { source: { kind: 'SourceRepository' } },
    });
    const updated = await call('PUT', 'metadata/rule-1', mark('rule-1', { version: '1.0.1' }));
    expect([updated.status, updated.body.properties.version]).toEqual([200, '1.0.1']);
    expect((await call('GET', 'metadata/rule-1')).body).toEqual(updated.body);
    await call('PUT', 'metadata/rule-2', mark('rule-2'));
    await call('PUT', 'metadata/rule-3', mark('rule-3'));
    const first = await call('GET', 'metadata');
    expect(first.body.value).toHaveLength(2);
    const second = await call('GET', first.body.nextLink);
    expect([second.body.value.length, second.body.nextLink]).toEqual([1, undefined]);
    expect((await call('DELETE', 'metadata/rule-1')).status).toBe(200);
    expect((await call('GET', 'metadata/rule-1')).status).toBe(404);
    expect((await call('DELETE', 'metadata/rule-1')).status).toBe(204);
  });

  it.each<[string, object, string]>([
    ['no kind', mark('r', { kind: undefined }), 'properties.kind is required'],
    ['no parentId', mark('r', { parentId: undefined }), 'properties.parentId is required'],
    ['a source kind outside the enum', mark('r', { source: { kind: 'GitHub' } }), 'properties.source.kind'],
    ['a support without tier', mark('r', { support: { name: 'SOC' } }), 'properties.support.tier is required'],
    ['an unknown property', mark('r', { owner: 'me' }), 'properties.owner is not a property'],
  ])('rejects %s with 400', async (_label, body, message) => {
    const answer = await call('PUT', 'metadata/r', body);
    expect([answer.status, answer.body.error.code]).toEqual([400, 'BadRequest']);
    expect(answer.body.error.message).toContain(message);
    expect((await call('GET', 'metadata/r')).status).toBe(404);
  });
});
