import { inspect } from 'node:util';
import { DefaultAzureCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { checkTokenHosts, credentialFor, refusedTokenHost } from '../../scripts/azure/credentials.ts';
import { createTransport } from '../../scripts/azure/transport.ts';
import type { Workspace } from '../../scripts/core/model/workspaces.ts';
import { retrySettings, DEFAULT_RETRY } from '../../scripts/azure/transport.ts';

const TOKEN = 'TOKEN-credentials-test-8a7b6c';

describe('credentials', () => {
  it('SENTINEL_ACCESS_TOKEN is answered as is, and the credential does not show it when printed', async () => {
    const credential = credentialFor({ SENTINEL_ACCESS_TOKEN: ` ${TOKEN} ` });
    expect((await credential.getToken('https://management.azure.com/.default'))?.token).toBe(TOKEN);
    expect(JSON.stringify(credential)).not.toContain(TOKEN);
    expect(inspect(credential, { showHidden: true, depth: 5 })).not.toContain(TOKEN);
    expect(credentialFor({ SENTINEL_ACCESS_TOKEN: TOKEN })).toBe(credential); // one per token: SDK clients are shared
  });

  it('without it, DefaultAzureCredential (az login, azure/login OIDC, managed identity); nothing is called here', () => {
    expect(credentialFor({})).toBeInstanceOf(DefaultAzureCredential);
    expect(credentialFor({ SENTINEL_ACCESS_TOKEN: '  ' })).toBeInstanceOf(DefaultAzureCredential);
  });

  it.each([
    ['https://management.azure.com', undefined],
    ['https://MANAGEMENT.usgovcloudapi.net/', undefined],
    ['https://management.chinacloudapi.cn', undefined],
    ['https://127.0.0.1:8443', undefined],
    ['https://localhost:8443', undefined],
    ['https://[::1]:8443', undefined],
    ['https://evil.example', 'evil.example'],
    ['https://management.azure.com.evil.example', 'management.azure.com.evil.example'],
    ['https://127.0.0.1.nip.io', '127.0.0.1.nip.io'],
  ])('a static token may go to %s: refused host %s', (endpoint, refused) => {
    expect(refusedTokenHost({ SENTINEL_ACCESS_TOKEN: TOKEN }, endpoint)).toBe(refused);
    expect(refusedTokenHost({}, endpoint)).toBeUndefined(); // DefaultAzureCredential asks for a token for that very endpoint
  });

  it('another host only when allowed by name; the refusal names the host and the workspace, and no request is built', () => {
    const ws = { name: 'ws-pr', armEndpoint: 'https://collector.evil.example' };
    expect(() => checkTokenHosts({ SENTINEL_ACCESS_TOKEN: TOKEN }, [ws])).toThrow(
      /refusing to send SENTINEL_ACCESS_TOKEN to collector\.evil\.example \(armEndpoint of ws-pr\)/,
    );
    expect(() => checkTokenHosts({ SENTINEL_ACCESS_TOKEN: TOKEN }, [ws], ['Collector.Evil.Example'])).not.toThrow();
    const workspace: Workspace = {
      environment: 'e',
      name: 'ws-pr',
      subscriptionId: 's',
      resourceGroup: 'rg',
      workspace: 'law',
      armEndpoint: ws.armEndpoint,
      apiVersion: '2025-09-01',
      rules: {},
      watchlists: {},
    };
    expect(() => createTransport(workspace, { env: { SENTINEL_ACCESS_TOKEN: TOKEN } })).toThrow(
      expect.objectContaining({ hint: expect.stringContaining('--allow-token-host collector.evil.example') }),
    );
  });

  it.each([
    [{}, DEFAULT_RETRY],
    [
      { SENTINEL_MAX_RETRIES: '3', SENTINEL_RETRY_DELAY_MS: '10', SENTINEL_MAX_RETRY_DELAY_MS: '100' },
      { maxRetries: 3, retryDelayInMs: 10, maxRetryDelayInMs: 100 },
    ],
    [{ SENTINEL_MAX_RETRIES: 'lots', SENTINEL_RETRY_DELAY_MS: '-1' }, DEFAULT_RETRY],
  ])('retry settings from %j', (env, expected) => {
    expect(retrySettings(env)).toEqual(expected);
  });
});
