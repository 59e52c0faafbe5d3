// The Log Analytics side of a workspace, read-only, for `schema pull`: its tables (standard and custom,
// with columns and plan) and its saved searches (functions and parsers), over
// @azure/arm-operationalinsights (tables.listByWorkspace, savedSearches.listByWorkspace; the
// package's default api-version). Same credential, retry settings and ARM host as the Sentinel
// transport; failures become RemoteError naming the operation, workspace, status and request id.
import { OperationalInsightsManagementClient } from '@azure/arm-operationalinsights';
import { RemoteError } from '../core/errors.ts';
import type { Workspace } from '../core/model/workspaces.ts';
import type { LiveSavedSearch, LiveTable } from '../core/schema/snapshot.ts';
import { checkTokenHosts, credentialFor, type Env, type TokenCredential } from './credentials.ts';
import { hintFor, retrySettings, type RetrySettings } from './transport.ts';

export interface LogAnalyticsApi {
  readonly workspace: Workspace;
  listTables(): Promise<LiveTable[]>;
  listSavedSearches(): Promise<LiveSavedSearch[]>;
}

export interface LogAnalyticsOptions {
  credential?: TokenCredential;
  env?: Env;
  retry?: Partial<RetrySettings>;
  /** Hosts besides ARM and loopback that SENTINEL_ACCESS_TOKEN may be sent to (--allow-token-host). */
  allowTokenHosts?: readonly string[];
}

const clients = new WeakMap<TokenCredential, Map<string, OperationalInsightsManagementClient>>();

function clientFor(workspace: Workspace, credential: TokenCredential, retry: RetrySettings): OperationalInsightsManagementClient {
  let byKey = clients.get(credential);
  if (!byKey) clients.set(credential, (byKey = new Map()));
  const key = [workspace.subscriptionId, workspace.armEndpoint, retry.maxRetries, retry.retryDelayInMs, retry.maxRetryDelayInMs].join('|');
  let client = byKey.get(key);
  if (!client) {
    client = new OperationalInsightsManagementClient(credential, workspace.subscriptionId, {
      endpoint: workspace.armEndpoint,
      // The token's audience is the cloud's ARM endpoint (sovereign clouds have their own).
      credentials: { scopes: [`${new URL(workspace.armEndpoint).origin}/.default`] },
      retryOptions: retry,
      userAgentOptions: { userAgentPrefix: 'sentinel-detections' },
    });
    byKey.set(key, client);
  }
  return client;
}

export function createLogAnalyticsApi(workspace: Workspace, options: LogAnalyticsOptions = {}): LogAnalyticsApi {
  const env = options.env ?? process.env;
  if (!options.credential) checkTokenHosts(env, [workspace], options.allowTokenHosts);
  const client = clientFor(workspace, options.credential ?? credentialFor(env), retrySettings(env, options.retry));
  const fail = (operation: string, error: unknown): RemoteError => remoteError(workspace, operation, error);
  return {
    workspace,
    async listTables() {
      const tables: LiveTable[] = [];
      try {
        for await (const table of client.tables.listByWorkspace(workspace.resourceGroup, workspace.workspace)) {
          const schema = table.schema ?? {};
          const columns = [...(schema.standardColumns ?? []), ...(schema.columns ?? [])]
            .filter((c) => typeof c.name === 'string' && c.name !== '')
            .map((c) => ({ name: c.name!, type: String(c.type ?? 'string') }));
          tables.push({ name: String(table.name ?? schema.name ?? ''), ...(table.plan ? { plan: String(table.plan) } : {}), columns });
        }
      } catch (error) {
        throw fail('LIST tables', error);
      }
      return tables.filter((t) => t.name !== '');
    },
    async listSavedSearches() {
      try {
        const result = await client.savedSearches.listByWorkspace(workspace.resourceGroup, workspace.workspace);
        return (result.value ?? []).map((s): LiveSavedSearch => ({
          ...(s.functionAlias ? { functionAlias: s.functionAlias } : {}),
          ...(s.functionParameters ? { functionParameters: s.functionParameters } : {}),
          query: s.query ?? '',
        }));
      } catch (error) {
        throw fail('LIST savedSearches', error);
      }
    },
  };
}

// Secrets in the message are redacted where everything is written: cli.ts.
function remoteError(workspace: Workspace, operation: string, error: unknown): RemoteError {
  const e = error as {
    name?: string;
    code?: string;
    message?: string;
    statusCode?: number;
    response?: { headers?: { get?(name: string): string | undefined } };
  };
  const credential = /Credential|Authentication/i.test(e.name ?? '');
  const hint = credential
    ? 'Sign in with `az login` (or azure/login in GitHub Actions), or set SENTINEL_ACCESS_TOKEN to a bearer token for the ARM endpoint.'
    : e.statusCode === 403
      ? 'The identity needs read access to the Log Analytics workspace (Log Analytics Reader, or Microsoft Sentinel Reader) to read its tables and saved searches.'
      : e.statusCode === undefined
        ? "The request failed without an answer after the SDK pipeline's retries: check armEndpoint and the network, then run again."
        : hintFor(e.statusCode);
  return new RemoteError(
    {
      operation: credential ? `${operation} (getting a token)` : operation,
      workspace: workspace.name,
      ...(e.statusCode !== undefined ? { status: e.statusCode } : {}),
      requestId: e.response?.headers?.get?.('x-ms-request-id'),
      serviceCode: e.code ?? e.name,
      serviceMessage: String(e.message ?? error)
        .split('\n')[0]
        ?.slice(0, 500),
    },
    hint,
  );
}
