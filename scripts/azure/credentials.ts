// Who we are towards ARM: SENTINEL_ACCESS_TOKEN (a bearer token from another tool, or a local
// emulator's) used as is, else DefaultAzureCredential (azure/login with OIDC in GitHub Actions,
// `az login` on a laptop, managed identity on a runner). The token never leaves the Authorization
// header: not in messages, not in errors, not in what inspecting the credential prints.
import { DefaultAzureCredential, type AccessToken, type TokenCredential } from '@azure/identity';

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

/** Replaces the configured token wherever it might appear in a text we are about to show. */
export function redactor(env: Env): (text: string) => string {
  const token = env[TOKEN_VARIABLE]?.trim();
  if (!token) return (text) => text;
  return (text) => text.split(token).join('[redacted]');
}
