// Download the feed: https only (or a local regular file), bounded in time (each attempt's silence and
// the whole download, retries and waits included), size (every read) and retries, with a conditional
// GET so an unchanged feed costs one 304. Redirects are followed and the final URL reported. Node's
// fetch trusts NODE_EXTRA_CA_CERTS.
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { InputError, UsageError } from '../core/errors.ts';

export interface FetchFeedOptions {
  /** Connect, headers, and any silence between body chunks: each must come within this. */
  timeoutMs: number;
  /** Extra attempts after the first, for network errors, timeouts, 5xx and 429 only. */
  retries: number;
  maxBytes: number;
  etag?: string;
  lastModified?: string;
  userAgent?: string;
  /** First retry delay; doubles each attempt (tests shorten it). */
  backoffMs?: number;
  /** The whole download, every attempt and retry wait included (default FEED_DEADLINE_MS). */
  deadlineMs?: number;
  /** The command's deadline: aborting it ends the download (InputError, nothing written). */
  signal?: AbortSignal;
}

/** Two minutes for ~2 MB: a healthy download takes a second or two; a trickle or a retry storm ends here. */
export const FEED_DEADLINE_MS = 120_000;

export type FetchFeedResult =
  | { kind: 'not-modified'; attempts: number }
  | {
      kind: 'body';
      text: string;
      etag?: string;
      lastModified?: string;
      /** Hex SHA-256 of the body bytes. */
      sha256: string;
      bytes: number;
      attempts: number;
      /** The URL the body came from, when redirects led elsewhere. */
      finalUrl?: string;
    };

const DEFAULT_USER_AGENT = 'sentinel-detections sync-watchlist';
const RETRY_AFTER_MAX_MS = 60_000;

export async function fetchFeed(source: string, options: FetchFeedOptions): Promise<FetchFeedResult> {
  if (/^https:\/\//i.test(source)) return fetchHttps(source, options);
  if (/^http:\/\//i.test(source)) {
    throw new UsageError(
      `Refusing to download the feed over plain http: ${redact(source)}`,
      'Use the https:// URL (raw.githubusercontent.com serves https), or pass a local file path.',
    );
  }
  if (/^file:/i.test(source)) return readLocal(fileURLToPath(source), options);
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(source)) {
    throw new UsageError(`Unsupported feed location ${redact(source)}`, 'Use an https:// URL or a local file path.');
  }
  return readLocal(source, options);
}

/** A local feed: a regular file only (not a directory, a device such as /dev/zero, or a pipe), read no further than maxBytes. */
async function readLocal(path: string, options: FetchFeedOptions): Promise<FetchFeedResult> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    // Non-blocking: opening a named pipe must not wait for a writer (it is refused below).
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw notAFile(path, 'a directory');
    throw new InputError(`Cannot read the feed file ${path}: ${(error as Error).message}`, 'Check the path passed with --feed.');
  }
  try {
    const info = await handle.stat();
    if (!info.isFile())
      throw notAFile(
        path,
        info.isDirectory()
          ? 'a directory'
          : info.isCharacterDevice()
            ? 'a character device'
            : info.isBlockDevice()
              ? 'a block device'
              : info.isFIFO()
                ? 'a pipe'
                : info.isSocket()
                  ? 'a socket'
                  : 'something other than a regular file',
      );
    if (info.size > options.maxBytes) throw tooLarge(path, options.maxBytes, info.size);
    // The size can change while we read: stop one byte past the limit, never read the whole file blindly.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(1 << 20, options.maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > options.maxBytes) throw tooLarge(path, options.maxBytes);
    }
    const buffer = Buffer.concat(chunks, total);
    return { kind: 'body', ...bodyOf(buffer), attempts: 1 };
  } finally {
    await handle.close();
  }
}

function notAFile(path: string, what: string): InputError {
  return new InputError(
    `The feed ${path} is ${what}, not a file`,
    'Pass the path of a downloaded feed file (or an https URL) with --feed.',
  );
}

/** A failure worth another attempt (network, timeout, 5xx, 429), with an optional server-given delay. */
class Retryable extends Error {
  readonly retryAfterMs?: number;
  constructor(message: string, retryAfterMs?: number) {
    super(message);
    this.retryAfterMs = retryAfterMs;
  }
}

async function fetchHttps(url: string, options: FetchFeedOptions): Promise<FetchFeedResult> {
  const attempts = 1 + Math.max(0, options.retries);
  const backoff = options.backoffMs ?? 1000;
  const deadlineMs = options.deadlineMs ?? FEED_DEADLINE_MS;
  // The download's own deadline, whichever ends first with the run's (--deadline).
  const download = new AbortController();
  const timer = setTimeout(
    () => download.abort(new Error(`the download took longer than ${Math.round(deadlineMs / 1000)} s (feed.fetch.deadlineSeconds)`)),
    deadlineMs,
  );
  const signal = options.signal ? AbortSignal.any([download.signal, options.signal]) : download.signal;
  const within = { ...options, signal };
  let last = '';
  try {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const result = await attemptOnce(url, within);
        return { ...result, attempts: attempt };
      } catch (error) {
        if (signal.aborted) throw stopped(url, signal);
        if (!(error instanceof Retryable)) throw error;
        last = error.message;
        if (attempt < attempts) await sleep(error.retryAfterMs ?? backoff * 2 ** (attempt - 1), signal).catch(() => undefined);
        if (signal.aborted) throw stopped(url, signal);
      }
    }
  } finally {
    clearTimeout(timer);
  }
  throw new InputError(
    `Downloading the feed ${redact(url)} failed ${attempts} times; last: ${last}`,
    'Nothing was written. The feed host or the network is unavailable; the next scheduled run retries. Raise feed.fetch.retries or feed.fetch.timeoutSeconds if this repeats.',
  );
}

type Attempt = { kind: 'not-modified' } | Omit<Extract<FetchFeedResult, { kind: 'body' }>, 'attempts'>;

async function attemptOnce(url: string, options: FetchFeedOptions): Promise<Attempt> {
  const controller = new AbortController();
  const outer = options.signal;
  const forward = (): void => controller.abort();
  if (outer?.aborted) controller.abort();
  else outer?.addEventListener('abort', forward, { once: true });
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  // One timer re-armed on every sign of progress: it covers connect, headers and a stalled body.
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, options.timeoutMs);
  };
  const headers: Record<string, string> = { 'user-agent': options.userAgent ?? DEFAULT_USER_AGENT, accept: 'text/plain, */*;q=0.5' };
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;
  const where = redact(url);
  const silent = (): string => `no data for ${options.timeoutMs} ms`;
  try {
    arm();
    let response: Response;
    try {
      response = await fetch(url, { headers, signal: controller.signal, redirect: 'follow' });
    } catch (error) {
      if (!timedOut && isCertificateError(error)) {
        throw new InputError(
          `The TLS certificate of ${where} is not trusted: ${networkReason(error)}`,
          'If a corporate proxy re-signs TLS, point NODE_EXTRA_CA_CERTS at its CA certificate (PEM) before starting node; never disable verification.',
        );
      }
      throw new Retryable(timedOut ? `${silent()} (connect or response headers)` : networkReason(error));
    }
    if (!response.url.startsWith('https:')) {
      await response.body?.cancel();
      throw new InputError(
        `The feed ${where} redirected to a non-https location ${redact(response.url)}`,
        'Use a feed URL that stays on https.',
      );
    }
    const status = response.status;
    if (status === 304) {
      await response.body?.cancel();
      if (options.etag || options.lastModified) return { kind: 'not-modified' };
      throw new InputError(
        `The feed ${where} answered 304 Not Modified to an unconditional request`,
        'Retry later; the server or a proxy is misbehaving.',
      );
    }
    if (status === 429 || status >= 500) {
      await response.body?.cancel();
      throw new Retryable(`HTTP ${status} ${response.statusText}`.trim(), retryAfter(response.headers.get('retry-after')));
    }
    if (status !== 200) {
      await response.body?.cancel();
      throw new InputError(
        `Downloading the feed ${where} failed: HTTP ${status} ${response.statusText}`.trim(),
        status === 404 || status === 410
          ? 'Check the feed URL (feed.url in the watchlist definition, or --feed); upstream may have moved the file.'
          : 'The server refused the request; check the URL, and any proxy or authentication in between. Nothing was written.',
      );
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > options.maxBytes) {
      await response.body?.cancel();
      throw tooLarge(where, options.maxBytes, declared);
    }
    const bytes = await readBounded(response, options.maxBytes, arm, where, () => timedOut, silent);
    const result: Attempt = { kind: 'body', ...bodyOf(bytes) };
    const etag = response.headers.get('etag');
    const lastModified = response.headers.get('last-modified');
    if (etag) result.etag = etag;
    if (lastModified) result.lastModified = lastModified;
    if (response.redirected && response.url !== url) result.finalUrl = response.url;
    return result;
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', forward);
  }
}

function stopped(url: string, signal: AbortSignal): InputError {
  const why = signal.reason instanceof Error ? signal.reason.message : 'the run was stopped';
  return new InputError(
    `Downloading the feed ${redact(url)} stopped: ${why}`,
    'Nothing was written; the next scheduled run retries. A healthy download of the feed takes seconds: check the feed host and the network (raise feed.fetch.deadlineSeconds, or --deadline, only if it is really that slow).',
  );
}

async function readBounded(
  response: Response,
  maxBytes: number,
  arm: () => void,
  where: string,
  timedOut: () => boolean,
  silent: () => string,
): Promise<Buffer> {
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let next: Awaited<ReturnType<typeof reader.read>>;
    try {
      next = await reader.read();
    } catch (error) {
      throw new Retryable(
        timedOut() ? `${silent()} (response stalled after ${total} bytes)` : `${networkReason(error)} after ${total} bytes`,
      );
    }
    if (next.done) break;
    total += next.value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(where, maxBytes);
    }
    chunks.push(next.value);
    arm();
  }
  return Buffer.concat(chunks);
}

function bodyOf(bytes: Buffer): { text: string; sha256: string; bytes: number } {
  return {
    text: bytes.toString('utf8'),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    bytes: bytes.byteLength,
  };
}

function tooLarge(where: string, maxBytes: number, size?: number): InputError {
  const found = size === undefined ? `more than ${maxBytes} bytes` : `${size} bytes`;
  return new InputError(
    `The feed ${where} is too large: ${found}, the limit is ${maxBytes} (feed.fetch.maxBytes).`,
    'IPsum is about 2 MB; a much larger body is not the feed. If it really grew, raise feed.fetch.maxBytes in the watchlist definition.',
  );
}

/** A certificate problem will not go away on retry. */
function isCertificateError(error: unknown): boolean {
  const code = (error as { cause?: { code?: string } }).cause?.code ?? '';
  return /CERT|UNABLE_TO_VERIFY|SELF_SIGNED|ERR_TLS/.test(code);
}

/** fetch wraps the socket error: show its message and code (`getaddrinfo ENOTFOUND host (ENOTFOUND)`). */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const message = cause?.message ?? (error as Error).message ?? String(error);
  return cause?.code && !message.includes(cause.code) ? `${message} (${cause.code})` : message;
}

function retryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value) * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(seconds) ? Math.min(Math.max(0, seconds), RETRY_AFTER_MAX_MS) : undefined;
}

/** Origin and path only: a query string or user info may carry a token. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return url.split(/[?#]/)[0] ?? url;
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const done = (): void => {
      signal?.removeEventListener('abort', cancel);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const cancel = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', cancel, { once: true });
  });
}
