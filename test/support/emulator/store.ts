// In-memory state per workspace, plus what every resource shares: ARM ids, etags, systemData,
// paging. Names are case-insensitive like ARM (keys are lower-cased; the first spelling is kept).
import { randomUUID } from 'node:crypto';
import { checkEtag, notFound } from './errors.ts';

export const TENANT_ID = '00000000-0000-4000-8000-00000000e7a1'; // obviously not a real tenant
const PRINCIPAL = 'sentinel-emulator-principal';

export interface Resource {
  id: string;
  name: string;
  type: string;
  etag: string;
  kind?: string;
  properties: Record<string, unknown>;
  systemData: Record<string, string>;
}

/** A watchlist is busy while its asynchronous operation runs; item operations are refused meanwhile. */
export interface WatchlistEntry {
  resource: Resource;
  items: Map<string, Resource>;
  busy?: { state: 'InProgress' | 'Deleting'; until: number };
}

export interface WorkspaceState {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  /** ARM id prefix of everything inside: /subscriptions/…/workspaces/{name}/providers/Microsoft.SecurityInsights */
  scope: string;
  alertRules: Map<string, Resource>;
  watchlists: Map<string, WatchlistEntry>;
  metadata: Map<string, Resource>;
  /** Microsoft.OperationalInsights side of the workspace (log-analytics.ts). */
  tables: Map<string, Resource>;
  savedSearches: Map<string, Resource>;
}

export interface Operation {
  id: string;
  scope: string;
  startedAt: number;
  until: number;
}

export class Store {
  readonly #workspaces = new Map<string, WorkspaceState>();
  readonly operations = new Map<string, Operation>();

  /** The workspace's state; every workspace exists (created empty on first use). */
  workspace(subscriptionId: string, resourceGroup: string, name: string): WorkspaceState {
    const key = `${subscriptionId}/${resourceGroup}/${name}`.toLowerCase();
    let ws = this.#workspaces.get(key);
    if (!ws) {
      const scope = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${name}/providers/Microsoft.SecurityInsights`;
      ws = {
        subscriptionId,
        resourceGroup,
        name,
        scope,
        alertRules: new Map(),
        watchlists: new Map(),
        metadata: new Map(),
        tables: new Map(),
        savedSearches: new Map(),
      };
      this.#workspaces.set(key, ws);
    }
    return ws;
  }

  /** Workspaces seen so far whose name matches (case-insensitive), in any subscription. */
  find(name: string): WorkspaceState[] {
    return [...this.#workspaces.values()].filter((ws) => ws.name.toLowerCase() === name.toLowerCase());
  }

  all(): WorkspaceState[] {
    return [...this.#workspaces.values()];
  }

  /** Completes the asynchronous watchlist operations whose time has come. */
  settle(now: number): void {
    for (const ws of this.#workspaces.values()) {
      for (const [key, entry] of ws.watchlists) {
        if (!entry.busy || now < entry.busy.until) continue;
        if (entry.busy.state === 'Deleting') {
          ws.watchlists.delete(key);
          continue;
        }
        entry.busy = undefined;
        Object.assign(entry.resource.properties, { provisioningState: 'Succeeded', uploadStatus: 'Complete' });
      }
    }
  }

  clear(): void {
    this.#workspaces.clear();
    this.operations.clear();
  }
}

export function newEtag(): string {
  return `"${randomUUID()}"`;
}

/** id, name, type, etag and systemData for a write; created* is kept from the previous version. */
export function envelope(scope: string, path: string, type: string, name: string, previous: Resource | undefined, now: number) {
  const at = new Date(now).toISOString();
  const systemData = {
    createdBy: previous?.systemData.createdBy ?? PRINCIPAL,
    createdByType: 'Application',
    createdAt: previous?.systemData.createdAt ?? at,
    lastModifiedBy: PRINCIPAL,
    lastModifiedByType: 'Application',
    lastModifiedAt: at,
  };
  return { id: `${scope}/${path}/${previous?.name ?? name}`, name: previous?.name ?? name, type, etag: newEtag(), systemData };
}

/** One page of a collection, in name order; the skip token is the last name returned (stable under deletes). */
export function page<T extends { name: string }>(all: Iterable<T>, size: number, skipToken: string | null, nextLinkBase: string) {
  const after = skipToken === null ? undefined : Buffer.from(skipToken, 'base64url').toString('utf8');
  const sorted = [...all]
    .filter((r) => after === undefined || r.name.toLowerCase() > after)
    .sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1));
  const value = sorted.slice(0, size);
  const last = value.at(-1);
  if (sorted.length <= size || !last) return { value };
  const token = Buffer.from(last.name.toLowerCase(), 'utf8').toString('base64url');
  return { value, nextLink: `${nextLinkBase}&$skipToken=${token}` };
}

/** What a resource handler gets for one request (already authenticated, api-version checked). */
export interface Ctx {
  method: string;
  /** Decoded path segments after `providers/Microsoft.SecurityInsights/` (or `workspaces/{w}/` for tables and savedSearches). */
  segments: string[];
  ws: WorkspaceState;
  body: unknown;
  apiVersion: string;
  preview: boolean;
  skipToken: string | null;
  ifMatch: string | undefined;
  now: number;
  store: Store;
  pageSize: Record<'alertRules' | 'watchlists' | 'watchlistItems' | 'metadata', number> & { tables?: number };
  provisioningDelayMs: number;
  /** Whether a PUT on an existing watchlist answers with Azure-AsyncOperation. */
  updateAsyncHeader: boolean;
  /** Tables this workspace does not have yet (see Emulator.rejectQueriesReferencing). */
  missingTables: ReadonlySet<string>;
  /** Absolute URL of an ARM path with this request's api-version (nextLink, operation URLs). */
  link(path: string): string;
  /** Absolute URL of this request's path with its api-version. */
  self: string;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** GET of one resource (alert rule, metadata, watchlist item): 200 with its etag, or 404 naming it. */
export function readOne(existing: Resource | undefined, label: string): Reply {
  if (!existing) throw notFound(label);
  return { status: 200, body: existing, headers: { ETag: existing.etag } };
}

/** DELETE of one resource, If-Match honoured: 200, or 204 when there was nothing to delete. */
export function deleteOne(map: Map<string, Resource>, key: string, ifMatch: string | undefined): Reply {
  const existing = map.get(key);
  checkEtag(existing?.etag, ifMatch, undefined);
  map.delete(key);
  return { status: existing ? 200 : 204 };
}
