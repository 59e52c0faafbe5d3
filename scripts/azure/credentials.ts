// Who we are towards ARM: SENTINEL_ACCESS_TOKEN (a bearer token from another tool, or a local
// emulator's) used as is, else DefaultAzureCredential (azure/login with OIDC in GitHub Actions,
// `az login` on a laptop, managed identity on a runner). The token never leaves the Authorization
// header: not in messages, not in errors, not in what inspecting the credential prints.
//
// Where it may go: a static token is bound to no audience, so it is sent only to the Resource Manager
// hosts of the public and sovereign clouds and to this machine (local emulators). workspaces.yaml names
// the host (armEndpoint) and a pull request may change it: any other host needs --allow-token-host.
// (DefaultAzureCredential asks Entra ID for a token for the endpoint itself, which no other host gets.)
import { DefaultAzureCredential, type AccessToken, type TokenCredential } from '@azure/identity';
import { ConfigError } from '../core/errors.ts';

export type { TokenCredential } from '@azure/identity';

const TOKEN_VARIABLE = 'SENTINEL_ACCESS_TOKEN';

export type Env = Readonly<Record<string, string | undefined>>;

/** A credential that always answers the same token (we cannot know its expiry: assume an hour). */
class StaticTokenCredential implements TokenCredential {
  readonly #token: string;
  constructor(token: string) {
    this.#token = token;
  }
  async getToken(): Promise<AccessToken> {
    return { token: this.#token, expiresOnTimestamp: Date.now() + 3_600_000 };
  }
  toJSON(): string {
    return 'StaticTokenCredential(redacted)';
  }
}

let defaultCredential: TokenCredential | undefined;
const staticCredentials = new Map<string, TokenCredential>();

/** The credential for this process's environment; one instance per token so SDK clients are shared. */
export function credentialFor(env: Env): TokenCredential {
  const token = env[TOKEN_VARIABLE]?.trim();
  if (token) {
    let credential = staticCredentials.get(token);
    if (!credential) staticCredentials.set(token, (credential = new StaticTokenCredential(token)));
    return credential;
  }
  return (defaultCredential ??= new DefaultAzureCredential());
}

/** Azure Resource Manager of the public cloud, Azure Government and Azure operated by 21Vianet (China). */
export const ARM_HOSTS: readonly string[] = ['management.azure.com', 'management.usgovcloudapi.net', 'management.chinacloudapi.cn'];

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The host of `armEndpoint` when SENTINEL_ACCESS_TOKEN is set and may not be sent there, else undefined. */
export function refusedTokenHost(env: Env, armEndpoint: string, allowed: readonly string[] = []): string | undefined {
  if (!env[TOKEN_VARIABLE]?.trim()) return undefined;
  const host = new URL(armEndpoint).hostname.toLowerCase();
  if (ARM_HOSTS.includes(host) || isLoopback(host) || allowed.some((a) => a.trim().toLowerCase() === host)) return undefined;
  return host;
}

/** Throws ConfigError naming every workspace whose armEndpoint the static token may not go to. */
export function checkTokenHosts(
  env: Env,
  workspaces: readonly { name: string; armEndpoint: string }[],
  allowed: readonly string[] = [],
): void {
  const refused = workspaces.flatMap((ws) => {
    const host = refusedTokenHost(env, ws.armEndpoint, allowed);
    return host === undefined ? [] : [{ name: ws.name, host }];
  });
  if (refused.length === 0) return;
  const hosts = [...new Set(refused.map((r) => r.host))];
  throw new ConfigError(
    `refusing to send SENTINEL_ACCESS_TOKEN to ${hosts.join(', ')} (armEndpoint of ${refused.map((r) => r.name).join(', ')}): a static token goes only to Azure Resource Manager (${ARM_HOSTS.join(', ')}) and to this machine (loopback)`,
    undefined,
    `Check armEndpoint in workspaces.yaml (a pull request may have changed it). If you trust the host, pass ${hosts.map((h) => `--allow-token-host ${h}`).join(' ')}.`,
  );
}
