// Plain-fetch client for the emulator's own tests (the lead's end-to-end tests use the real SDK).
import type { Emulator } from './server.ts';

export const SUB = '00000000-0000-4000-8000-000000000001';
export const RG = 'rg-sentinel-test';
export const WS = 'law-test';

export function scopeOf(workspace = WS, subscription = SUB): string {
  return `/subscriptions/${subscription}/resourceGroups/${RG}/providers/Microsoft.OperationalInsights/workspaces/${workspace}/providers/Microsoft.SecurityInsights`;
}

export interface Answer {
  status: number;
  headers: Headers;
  /** Parsed JSON (any: tests read arbitrary ARM bodies). */
  body: any;
}

export interface CallOptions {
  /** null: send no api-version. */
  apiVersion?: string | null;
  /** null: send no Authorization header. */
  token?: string | null;
  workspace?: string;
  subscription?: string;
  headers?: Record<string, string>;
}

/** `path` is relative to the workspace's Microsoft.SecurityInsights scope, or an absolute URL (nextLink, operation URLs). */
export function client(emulator: Emulator, defaults: CallOptions = {}) {
  return async function call(method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<Answer> {
    const o = { ...defaults, ...options };
    const url = new URL(path.startsWith('https://') ? path : `${emulator.url}${scopeOf(o.workspace, o.subscription)}/${path}`);
    const apiVersion = o.apiVersion === undefined ? '2025-09-01' : o.apiVersion;
    if (apiVersion !== null && !url.searchParams.has('api-version')) url.searchParams.set('api-version', apiVersion);
    const token = o.token === undefined ? emulator.token : o.token;
    // A fresh connection per call: a kept-alive socket the server closes while a slow test runs in between
    // makes the next call fail with ECONNRESET (seen on loaded machines).
    const headers: Record<string, string> = {
      Connection: 'close',
      ...(token === null ? {} : { Authorization: `Bearer ${token}` }),
      ...o.headers,
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };
}

/** A valid 2025-09-01 Scheduled rule body; `properties` entries override (undefined removes). */
export function scheduledRule(
  properties: Record<string, unknown> = {},
  kind = 'Scheduled',
): { kind: string; properties: Record<string, unknown> } {
  const base: Record<string, unknown> = {
    displayName: 'Inbound connection from an IPsum address',
    enabled: true,
    severity: 'Medium',
    query: 'DeviceNetworkEvents | where ActionType == "InboundConnectionAccepted"',
    queryFrequency: 'PT1H',
    queryPeriod: 'PT1H',
    triggerOperator: 'GreaterThan',
    triggerThreshold: 0,
    suppressionEnabled: false,
    suppressionDuration: 'PT5H',
  };
  const merged = Object.fromEntries(Object.entries({ ...base, ...properties }).filter(([, v]) => v !== undefined));
  return { kind, properties: merged };
}
