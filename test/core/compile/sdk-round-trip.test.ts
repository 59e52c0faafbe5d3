// What a reviewer approved is what is sent: every property of a compiled body arrives unchanged at
// the (emulated) service when sent through @azure/arm-securityinsight's client pipeline, the way the
// deploy path sends it. And the reason for not using the typed models, proven: the
// typed createOrUpdate of 1.0.0-beta.6 drops fields our bodies carry.
import { SecurityInsights, type AlertRuleUnion } from '@azure/arm-securityinsight';
import { createHttpHeaders, createPipelineRequest } from '@azure/core-rest-pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NRT_API_VERSION } from '../../../scripts/core/compile/api-versions.ts';
import { BUILD_TARGET, compileSet } from '../../../scripts/core/compile/content.ts';
import { ruleMetadata } from '../../../scripts/core/compile/metadata.ts';
import { replaceOnce } from '../../support/content.ts';
import { allFieldsRule, parsedRules, repoContent } from '../../support/build.ts';
import { startEmulator, type Emulator } from '../../support/emulator/server.ts';
import { RG, scopeOf, SUB, WS } from '../../support/emulator/test-client.ts';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

function client(apiVersion: string): SecurityInsights {
  const { credential } = emulator;
  return new SecurityInsights(credential, SUB, { endpoint: emulator.url, apiVersion, retryOptions: { maxRetries: 0 } });
}

/** PUT the exact JSON through the client's pipeline (auth, api-version, retry policies); the body the emulator received. */
async function sendThroughPipeline(apiVersion: string, path: string, body: unknown): Promise<unknown> {
  const request = createPipelineRequest({
    url: `${emulator.url}${scopeOf()}/${path}?api-version=${apiVersion}`,
    method: 'PUT',
    body: JSON.stringify(body),
    headers: createHttpHeaders({ 'content-type': 'application/json' }),
  });
  const response = await client(apiVersion).sendRequest(request);
  expect(response.status, response.bodyAsText ?? '').toBeLessThan(300);
  const recorded = emulator.requests.filter((r) => r.method === 'PUT' && r.path.endsWith(`/${path}`)).at(-1);
  expect(recorded?.apiVersion).toBe(apiVersion);
  return recorded?.body;
}

const nrtRule = ['queryFrequency: 30m\n', 'queryPeriod: 2h\n', 'triggerOperator: gt\n', 'triggerThreshold: 3\n'].reduce(
  (text, line) => replaceOnce(text, line, ''),
  replaceOnce(allFieldsRule, 'kind: Scheduled', 'kind: NRT'),
);

describe('compiled bodies through the SDK client pipeline', () => {
  const cases = [
    ['the detection rule', repoContent(), '2025-09-01'],
    ['the all-fields rule', parsedRules({ 'all-fields': allFieldsRule }), '2025-09-01'],
    ['the all-fields rule as NRT, with sub-techniques', parsedRules({ 'all-fields': nrtRule }), NRT_API_VERSION],
  ] as const;

  it.each(cases)('%s (api-version %s): every property arrives unchanged', async (_, parsed, apiVersion) => {
    const set = compileSet(parsed, { ...BUILD_TARGET, apiVersion });
    expect(set.alertRules.length).toBeGreaterThan(0);
    for (const rule of set.alertRules) {
      expect(await sendThroughPipeline(apiVersion, `alertRules/${rule.id}`, rule.body)).toEqual(rule.body);
      const mark = ruleMetadata(rule.yaml, `${scopeOf()}/alertRules/${rule.id}`, 'sentinel-detections');
      expect(await sendThroughPipeline(apiVersion, `metadata/analyticsrule-${rule.id}`, mark)).toEqual(mark);
    }
    for (const w of set.watchlists) expect(await sendThroughPipeline(apiVersion, `watchlists/${w.alias}`, w.body)).toEqual(w.body);
  });
});

describe('the typed alertRules.createOrUpdate (why it is not used)', () => {
  it.each([
    ['2025-09-01', allFieldsRule, ['alertDetailsOverride.alertDynamicProperties']],
    [NRT_API_VERSION, nrtRule, ['alertDetailsOverride.alertDynamicProperties', 'sentinelEntitiesMappings', 'subTechniques']],
  ])('api-version %s: drops fields the compiled body carries', async (apiVersion, text, dropped) => {
    const [rule] = compileSet(parsedRules({ 'all-fields': text }), { ...BUILD_TARGET, apiVersion }).alertRules;
    const typed = { kind: rule!.body.kind, ...rule!.body.properties } as unknown as AlertRuleUnion;
    await client(apiVersion).alertRules.createOrUpdate(RG, WS, rule!.id, typed);
    const sent = emulator.requests.filter((r) => r.method === 'PUT' && r.name === rule!.id).at(-1)?.body as {
      properties: Record<string, unknown>;
    };
    const lost = paths(rule!.body.properties).filter((p) => !paths(sent.properties).includes(p));
    expect(lost).toEqual(dropped);
  });
});

/** Dotted paths of an object's leaves and objects (arrays as leaves). */
function paths(value: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(value)
    .flatMap(([k, v]) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? [`${prefix}${k}`, ...paths(v as Record<string, unknown>, `${prefix}${k}.`)]
        : [`${prefix}${k}`],
    )
    .sort();
}
