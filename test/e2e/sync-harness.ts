// End-to-end harness for sync-watchlist: the Sentinel emulator (through the real SDK pipeline via
// createSentinelApi), the local HTTPS feed server, a throwaway repository root (watchlists/ipsum.yaml
// pointing at the feed server, workspaces.yaml pointing at the emulator), and one injected clock
// shared by the emulator and the command.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSentinelApi } from '../../scripts/azure/sentinel.ts';
import { run } from '../../scripts/cli.ts';
import { type SyncWatchlistDeps, type SyncWatchlistOptions, syncWatchlistCommand } from '../../scripts/commands/sync-watchlist.ts';
import type { RetrySettings } from '../../scripts/azure/transport.ts';
import { compileAllowList, desiredSet } from '../../scripts/core/feed/desired.ts';
import { diffWatchlist, type LiveItem, normalizeKey, planChanges } from '../../scripts/core/feed/diff.ts';
import { decodeProvenance, type ProvenanceState } from '../../scripts/core/feed/provenance.ts';
import type { SyncResult } from '../../scripts/core/sync/result.ts';
import { type FeedServer, startFeedServer, syntheticFeed } from '../support/feed-server.ts';
import { tempDir } from '../support/temp.ts';
import { type EmulatorOptions, type Emulator, type RecordedRequest, startEmulator } from '../support/emulator/server.ts';

export const SUB = '00000000-0000-4000-8000-0000000000aa';
export const RG = 'rg-sync';
export const START = Date.parse('2026-08-22T02:00:00Z');

export interface Guards {
  minItems: number;
  maxShrinkPercent: number;
  maxRemovePercent: number;
  maxChangePercent: number;
  maxChangesPerRun: number;
  monthlyBudgetPercent: number;
}

export interface DefinitionOptions {
  exitScore?: number | null;
  scoreThresholds?: number[];
  allowList?: string[];
  dropReserved?: boolean;
  minIps?: number;
  maxBytes?: number;
  guards?: Partial<Guards>;
  url?: string;
}

export interface Harness {
  emulator: Emulator;
  feed: FeedServer;
  root: string;
  /** The shared clock (ms since the epoch). */
  clock: { now: number };
  /** Called for every request the emulator answered (or dropped). */
  onRequest: Set<(request: RecordedRequest) => void>;
  writeDefinition(options?: DefinitionOptions): void;
  sync(options?: Partial<SyncWatchlistOptions>, deps?: Partial<SyncWatchlistDeps>, retry?: Partial<RetrySettings>): Promise<SyncResult>;
  cli(args: string[], env?: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Live items of a workspace (by its Log Analytics name): normalized IP → stored items. */
  items(workspace?: string): Map<string, { id: string; score: string }[]>;
  state(workspace?: string): ProvenanceState | undefined;
  description(workspace?: string): string | undefined;
  /** Write requests (anything but GET) recorded since the last clearRequests(), by type. */
  writes(type?: 'watchlistItems' | 'watchlists' | 'metadata'): number;
  reset(): void;
  close(): Promise<void>;
}

/** A feed of `counts` (IP → count) in IPsum's format, built from scratch. */
export function feedOf(
  counts: ReadonlyMap<string, number> | Record<string, number>,
  lastUpdate = 'Sat, 22 Aug 2026 03:00:29 +0200',
): string {
  const entries = counts instanceof Map ? [...counts] : Object.entries(counts);
  return syntheticFeed({ lastUpdate, extra: entries.map(([ip, count]) => `${ip}\t${count}`) });
}

/** `n` addresses 11.<block>.x.y (public: reserved and private ranges never reach a watchlist) with counts from `count(i)`. */
export function addresses(n: number, count: (i: number) => number, block = 1): Map<string, number> {
  const map = new Map<string, number>();
  for (let i = 0; i < n; i++) map.set(`11.${block}.${(i >> 8) & 255}.${i & 255}`, count(i));
  return map;
}

/**
 * What the watchlist must hold after syncing `feed` onto `live` (the repo's policy: minScore 4,
 * exitScore 3, thresholds [6], scores floored at 4), computed by the feed module's pure functions.
 */
export function expectedAfter(live: ReturnType<Harness['items']>, feed: ReadonlyMap<string, number>, exitScore = 3) {
  const items: LiveItem[] = [...live].flatMap(([ip, list]) => list.map((i) => ({ id: i.id, key: ip, score: Number(i.score) })));
  const desired = desiredSet({ feed, live: new Set(live.keys()), minScore: 4, exitScore, allowList: compileAllowList([]) });
  const plan = diffWatchlist({ alias: 'ipsum', desired, live: items, scorePolicy: { thresholds: [6] }, scoreFloor: 4 });
  const scores = new Map(items.map((l) => [l.key, l.score]));
  for (const add of plan.add) scores.set(add.ip, add.score);
  for (const update of plan.update) scores.set(update.ip, update.to);
  for (const item of plan.remove) scores.delete(item.key);
  return { plan, changes: planChanges(plan), scores: new Map([...scores].map(([ip, score]) => [ip, String(score)])) };
}

/** Live items as ip → stored scores (one entry per item: duplicates show). */
export function scoresOf(items: ReturnType<Harness['items']>): Map<string, string[]> {
  return new Map([...items].map(([ip, list]) => [ip, list.map((i) => i.score)]));
}

export async function startHarness(emulatorOptions: Omit<EmulatorOptions, 'now' | 'onRequest'> = {}): Promise<Harness> {
  const clock = { now: START };
  const onRequest = new Set<(request: RecordedRequest) => void>();
  const emulator = await startEmulator({
    ...emulatorOptions,
    now: () => clock.now,
    onRequest: (r) => onRequest.forEach((hook) => hook(r)),
  });
  const feed = await startFeedServer({ body: feedOf(addresses(100, (i) => (i % 10) + 1)), oversizedBytes: 2_000_000 });
  const root = tempDir('sync-e2e');
  mkdirSync(join(root, 'watchlists'));
  mkdirSync(join(root, 'schemas', 'tables'), { recursive: true });
  writeFileSync(join(root, 'workspaces.yaml'), workspacesYaml(emulator.url));
  const { credential } = emulator;
  const store = (workspace: string) => emulator.state.workspace(SUB, RG, workspace).watchlists.get('ipsum');

  const harness: Harness = {
    emulator,
    feed,
    root,
    clock,
    onRequest,
    writeDefinition(options = {}) {
      writeFileSync(join(root, 'watchlists', 'ipsum.yaml'), definitionYaml({ url: feed.url, ...options }));
    },
    sync(options = {}, deps = {}, retry = {}) {
      return syncWatchlistCommand(
        { root, alias: 'ipsum', env: 'one', ...options },
        {
          api: (ws) =>
            createSentinelApi(ws, {
              credential,
              retry: { maxRetries: 8, retryDelayInMs: 1, maxRetryDelayInMs: 10, ...retry },
              poll: { intervalMs: 5 },
            }),
          now: () => new Date(clock.now),
          feedBackoffMs: 1,
          ...deps,
        },
      );
    },
    async cli(args, env = {}) {
      let stdout = '';
      let stderr = '';
      const code = await run(args, {
        root,
        env: { SENTINEL_ACCESS_TOKEN: emulator.token, SENTINEL_RETRY_DELAY_MS: '1', SENTINEL_MAX_RETRY_DELAY_MS: '10', ...env },
        stdout: (text) => void (stdout += text),
        stderr: (text) => void (stderr += text),
        isTTY: false,
      });
      return { code, stdout, stderr };
    },
    items(workspace = 'law-solo') {
      const map = new Map<string, { id: string; score: string }[]>();
      for (const item of store(workspace)?.items.values() ?? []) {
        const values = item.properties.itemsKeyValue as Record<string, string>;
        const ip = normalizeKey(values.IPAddress ?? '');
        map.set(ip, [...(map.get(ip) ?? []), { id: item.name, score: values.Score ?? '' }]);
      }
      return map;
    },
    state: (workspace = 'law-solo') => decodeProvenance(harness.description(workspace)).state,
    description: (workspace = 'law-solo') => store(workspace)?.resource.properties.description as string | undefined,
    writes: (type) => emulator.requests.filter((r) => r.method !== 'GET' && (type === undefined || r.type === type)).length,
    reset() {
      emulator.reset();
      feed.reset();
      feed.use('ok');
      clock.now = START;
      onRequest.clear();
      harness.writeDefinition();
    },
    async close() {
      await Promise.all([emulator.close(), feed.close()]);
    },
  };
  harness.writeDefinition();
  return harness;
}

function workspacesYaml(armEndpoint: string): string {
  const ws = (name: string, workspace: string, extra = '') =>
    `    - name: ${name}\n      subscriptionId: ${SUB}\n      resourceGroup: ${RG}\n      workspace: ${workspace}\n      armEndpoint: ${armEndpoint}\n${extra}`;
  return [
    'repository: test-org/sync-e2e',
    'environments:',
    '  one:',
    ws('solo', 'law-solo'),
    '  multi:',
    ws('alpha', 'law-alpha'),
    ws('beta', 'law-beta'),
    ws('off', 'law-off', '      watchlists:\n        ipsum:\n          sync: false\n'),
  ].join('\n');
}

export function definitionYaml(o: DefinitionOptions & { url: string }): string {
  // The gross guards are open unless a test sets them: the fault tests reshuffle whole feeds on purpose.
  const g: Guards = {
    minItems: 10,
    maxShrinkPercent: 30,
    maxRemovePercent: 100,
    maxChangePercent: 100_000,
    maxChangesPerRun: 10_000,
    monthlyBudgetPercent: 80,
    ...o.guards,
  };
  const lines = [
    'alias: ipsum',
    'displayName: IPsum (e2e)',
    'description: Addresses on at least 4 blocklists (e2e test).',
    'provider: stamparm/ipsum',
    'source: ipsum.txt',
    'itemsSearchKey: IPAddress',
    'columns:',
    '  - name: IPAddress',
    '    type: string',
    '  - name: Score',
    '    type: int',
    'feed:',
    '  format: ipsum',
    `  url: ${o.url}`,
    '  minScore: 4',
    ...(o.exitScore === null ? [] : [`  exitScore: ${o.exitScore ?? 3}`]),
    `  scoreThresholds: [${(o.scoreThresholds ?? [6]).join(', ')}]`,
    `  allowList: [${(o.allowList ?? []).join(', ')}]`,
    ...(o.dropReserved === undefined ? [] : [`  dropReserved: ${o.dropReserved}`]),
    '  fetch:',
    '    timeoutSeconds: 1',
    '    retries: 1',
    `    maxBytes: ${o.maxBytes ?? 1_000_000}`,
    `    minIps: ${o.minIps ?? 10}`,
    '  guards:',
    ...Object.entries(g).map(([k, v]) => `    ${k}: ${v}`),
  ];
  return `${lines.join('\n')}\n`;
}
