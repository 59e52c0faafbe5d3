// Secrets never reach an output. cli.ts passes everything it writes — reports, progress, errors, the
// Azure SDK's logs — through one redactor: the configured bearer token wherever it appears, any
// `Bearer …`/`Basic …` credential, the user info of a URL (https://user:password@host) and the values of
// query parameters that carry credentials (a SAS `sig`, `token`, `code`, `key`, …).

export const REDACTED = '[redacted]';

// A credential after the scheme: 12+ token characters with a digit or both letter cases (so that prose
// such as "the Basic plan" or "Bearer authentication" stays as it is).
const CREDENTIAL = /\b(Bearer|Basic)(\s+)([A-Za-z0-9\-._~+/]{12,}=*)/g;
const looksLikeSecret = (text: string): boolean => /\d/.test(text) || (/[a-z]/.test(text) && /[A-Z]/.test(text));
const USER_INFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi;
const SECRET_QUERY =
  /([?&;](?:sig|signature|token|access_token|id_token|refresh_token|code|key|apikey|api_key|secret|client_secret|password|pwd)=)[^&#\s"'<>]+/gi;

/** A function that removes `secrets` (exact strings, e.g. SENTINEL_ACCESS_TOKEN) and credential patterns from a text. */
export function redactor(secrets: readonly (string | undefined)[]): (text: string) => string {
  // Longest first, so that a secret containing another is replaced whole.
  const exact = [...new Set(secrets.map((s) => s?.trim()).filter((s): s is string => !!s && s.length >= 8))].sort(
    (a, b) => b.length - a.length,
  );
  return (text) => {
    let out = text;
    for (const secret of exact) out = out.split(secret).join(REDACTED);
    out = out.replace(CREDENTIAL, (match, scheme: string, space: string, value: string) =>
      looksLikeSecret(value) ? `${scheme}${space}${REDACTED}` : match,
    );
    return out.replace(USER_INFO, `$1${REDACTED}@`).replace(SECRET_QUERY, `$1${REDACTED}`);
  };
}
