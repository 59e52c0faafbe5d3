import { inspect } from 'node:util';
import { DefaultAzureCredential } from '@azure/identity';
import { describe, expect, it } from 'vitest';
import { credentialFor, redactor } from '../../scripts/azure/credentials.ts';
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

  it('redactor removes the token from any text', () => {
    expect(redactor({ SENTINEL_ACCESS_TOKEN: TOKEN })(`Bearer ${TOKEN} and ${TOKEN}`)).toBe('Bearer [redacted] and [redacted]');
    expect(redactor({})('unchanged')).toBe('unchanged');
  });

  it.each([
    [{}, DEFAULT_RETRY],
    [{ SENTINEL_MAX_RETRIES: '3', SENTINEL_RETRY_DELAY_MS: '10', SENTINEL_MAX_RETRY_DELAY_MS: '100' }, { maxRetries: 3, retryDelayInMs: 10, maxRetryDelayInMs: 100 }],
    [{ SENTINEL_MAX_RETRIES: 'lots', SENTINEL_RETRY_DELAY_MS: '-1' }, DEFAULT_RETRY],
  ])('retry settings from %j', (env, expected) => {
    expect(retrySettings(env)).toEqual(expected);
  });
});
