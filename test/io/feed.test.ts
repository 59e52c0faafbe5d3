import { rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkFeed } from '../../scripts/core/feed/check-feed.ts';
import { parseIpsum } from '../../scripts/core/feed/ipsum.ts';
import { InputError, UsageError } from '../../scripts/core/errors.ts';
import { type FetchFeedOptions, type FetchFeedResult, fetchFeed, redact } from '../../scripts/io/feed.ts';
import { type FeedServer, GARBAGE_LINES, startFeedServer, syntheticFeed } from '../support/feed-server.ts';
import { tempDir } from '../support/temp.ts';
import { createLoopbackCertificate } from '../support/tls.ts';

const body = syntheticFeed({ ips: 600 });
const options: FetchFeedOptions = { timeoutMs: 300, retries: 2, maxBytes: 1_000_000, backoffMs: 1 };
let server: FeedServer;

beforeAll(async () => {
  server = await startFeedServer({ body, oversizedBytes: 2_000_000 });
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
  server.use('ok');
});

function bodyOf(result: FetchFeedResult) {
  if (result.kind !== 'body') throw new Error(`expected a body, got ${result.kind}`);
  return result;
}

/** What the sync does with a download: check it, then refuse or accept. */
const refusalOf = (text: string) => checkFeed(text, parseIpsum(text), { minIps: 500 })?.code;

describe('fetchFeed over https', () => {
  it('downloads the feed with validators, hash and size, trusting the loopback CA', async () => {
    const result = bodyOf(await fetchFeed(server.url, options));
    expect(result.text).toBe(body);
    expect(result.bytes).toBe(Buffer.byteLength(body));
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.etag).toBe(server.etag);
    expect(result.lastModified).toBe(server.lastModified);
    expect(result.attempts).toBe(1);
    expect(server.requests).toBe(1);
    expect(refusalOf(result.text)).toBeUndefined();
  });

  it('a conditional GET of an unchanged feed answers not-modified, by ETag or by date', async () => {
    expect(await fetchFeed(server.url, { ...options, etag: server.etag })).toEqual({ kind: 'not-modified', attempts: 1 });
    expect(server.log[0]?.headers['if-none-match']).toBe(server.etag);
    expect(await fetchFeed(server.url, { ...options, lastModified: server.lastModified })).toEqual({ kind: 'not-modified', attempts: 1 });
    expect(server.log[1]?.headers['if-modified-since']).toBe(server.lastModified);
    const changed = bodyOf(await fetchFeed(server.url, { ...options, etag: '"stale"' }));
    expect(changed.text).toBe(body);
    expect(server.requests).toBe(3);
  });

  it.each([
    ['html-200', 'feed.html'],
    ['empty', 'feed.empty'],
    ['truncated', 'feed.truncated'],
  ] as const)('%s: downloaded once, then refused by the feed check (%s)', async (scenario, code) => {
    server.use(scenario);
    const result = bodyOf(await fetchFeed(server.url, options));
    expect(refusalOf(result.text)).toBe(code);
    expect(server.requests).toBe(1);
  });

  it('garbage and IPv6 lines: reported with line numbers, good lines kept', async () => {
    server.use('garbage');
    const parsed = parseIpsum(bodyOf(await fetchFeed(server.url, options)).text);
    expect(parsed.entries.size).toBe(600);
    expect(parsed.problems.map((p) => p.line)).toEqual(GARBAGE_LINES.map((_, i) => 8 + i));
    expect(parsed.problems[0]?.reason).toContain('IPv6');
    expect(parsed.problems[1]?.reason).toContain('leading zero');
  });

  it('CRLF line endings parse like LF', async () => {
    server.use('crlf');
    const text = bodyOf(await fetchFeed(server.url, options)).text;
    expect(text).toContain('\r\n');
    const parsed = parseIpsum(text);
    expect(parsed.entries).toEqual(parseIpsum(body).entries);
    expect(parsed.problems).toEqual([]);
    expect(refusalOf(text)).toBeUndefined();
  });

  it('404: fails at once, no retry, with the URL and what to do', async () => {
    server.use('404');
    const error = await fetchFeed(`${server.url}?token=secret`, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toContain(`${server.url} failed: HTTP 404`);
    expect((error as InputError).message).not.toContain('secret');
    expect((error as InputError).hint).toContain('feed.url');
    expect(server.requests).toBe(1);
  });

  it('500: retried the configured number of times, then an InputError', async () => {
    server.use('500');
    const error = await fetchFeed(server.url, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toContain('failed 3 times; last: ');
    expect((error as InputError).message).toContain('HTTP 500');
    expect(server.requests).toBe(3);
  });

  it.each(['500', '429'] as const)('%s twice, then ok: succeeds on the third attempt', async (scenario) => {
    server.use(scenario, { failures: 2 });
    const result = bodyOf(await fetchFeed(server.url, options));
    expect(result.text).toBe(body);
    expect(result.attempts).toBe(3);
    expect(server.requests).toBe(3);
  });

  it('a stalled response times out, and each retry is counted', async () => {
    server.use('stall');
    const error = await fetchFeed(server.url, { ...options, retries: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/no data for 300 ms \(response stalled after \d+ bytes\)/);
    expect(server.requests).toBe(2);
  });

  it('a connection dropped mid-body is retried, then reported with the bytes received', async () => {
    server.use('reset');
    const error = await fetchFeed(server.url, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/failed 3 times; last: .* after \d+ bytes/);
    expect(server.requests).toBe(3);
  });

  it('an oversized body is cut off at maxBytes and refused, not retried', async () => {
    server.use('oversized');
    // A generous idle timeout: on a loaded machine 300 ms of silence could retry before the size limit is hit.
    const error = await fetchFeed(server.url, { ...options, timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toContain('too large: more than 1000000 bytes, the limit is 1000000');
    expect(server.requests).toBe(1);
  });

  it('a declared content-length above maxBytes is refused before reading', async () => {
    const error = await fetchFeed(server.url, { ...options, maxBytes: 100 }).catch((e: unknown) => e);
    expect((error as InputError).message).toContain(`too large: ${Buffer.byteLength(body)} bytes, the limit is 100`);
  });

  it('trusts only what NODE_EXTRA_CA_CERTS adds: a certificate from another CA fails at once, with the fix', async () => {
    const stranger = await createLoopbackCertificate(tempDir('sentinel-tls')); // not the CA the test workers were started with
    let hits = 0;
    const other = createServer({ cert: stranger.cert, key: stranger.key }, (_req, res) => {
      hits++;
      res.end(body);
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = other.address() as AddressInfo;
      const error = await fetchFeed(`https://127.0.0.1:${port}/ipsum.txt`, options).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).message).toContain('is not trusted');
      expect((error as InputError).hint).toContain('NODE_EXTRA_CA_CERTS');
      expect(hits).toBe(0);
    } finally {
      other.close();
    }
  });

  it('refuses plain http without a request', async () => {
    const error = await fetchFeed(server.url.replace('https:', 'http:'), options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toContain('plain http');
    expect(server.requests).toBe(0);
  });

  it('refuses other URL schemes', async () => {
    await expect(fetchFeed('ftp://example.test/ipsum.txt', options)).rejects.toThrow(UsageError);
  });
});

describe('fetchFeed from a local file', () => {
  const dir = tempDir('feed-test');
  const path = join(dir, 'ipsum.txt');
  writeFileSync(path, body);

  it.each([
    ['a path', path],
    ['a file: URL', pathToFileURL(path).href],
  ])('reads %s', async (_name, source) => {
    const result = bodyOf(await fetchFeed(source, options));
    expect(result.text).toBe(body);
    expect(result.bytes).toBe(Buffer.byteLength(body));
  });

  it('hashes the same bytes the same way as the download', async () => {
    const local = bodyOf(await fetchFeed(path, options));
    const remote = bodyOf(await fetchFeed(server.url, options));
    expect(local.sha256).toBe(remote.sha256);
  });

  it('refuses a missing file and one above maxBytes', async () => {
    await expect(fetchFeed(join(dir, 'missing.txt'), options)).rejects.toThrow(/Cannot read the feed file .*missing\.txt/);
    await expect(fetchFeed(path, { ...options, maxBytes: 10 })).rejects.toThrow(/too large/);
  });
});

describe('fetchFeed limits (issue 10.10)', () => {
  it('a server trickling one byte at a time is stopped by the download deadline, retries and waits included', async () => {
    server.use('trickle');
    const started = Date.now();
    // The idle timeout never fires (a byte every 50 ms); only the overall deadline can end this.
    const error = await fetchFeed(server.url, { ...options, timeoutMs: 1_000, deadlineMs: 700 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(
      /^Downloading the feed https:\/\/127\.0\.0\.1:\d+\/ipsum\.txt stopped: the download took longer than 1 s \(feed\.fetch\.deadlineSeconds\)$/,
    );
    expect((error as InputError).hint).toContain('Nothing was written');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('the deadline also bounds the waits between retries', async () => {
    server.use('500');
    const started = Date.now();
    const error = await fetchFeed(server.url, { ...options, retries: 5, backoffMs: 10_000, deadlineMs: 300 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as InputError).message).toContain('stopped: the download took longer than');
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(server.requests).toBe(1);
  });

  it('the default deadline is at most two minutes for the whole download', async () => {
    const { FEED_DEADLINE_MS } = await import('../../scripts/io/feed.ts');
    expect(FEED_DEADLINE_MS).toBeLessThanOrEqual(120_000);
  });

  it('a redirect to another host is followed and the final URL reported', async () => {
    server.use('redirect');
    const result = bodyOf(await fetchFeed(server.url, options));
    expect(result.text).toBe(body);
    expect(result.finalUrl).toBe(server.url.replace('127.0.0.1', 'localhost'));
    expect(server.log.map((r) => r.headers.host?.split(':')[0])).toEqual(['127.0.0.1', 'localhost']);
    server.use('ok');
    expect(bodyOf(await fetchFeed(server.url, options)).finalUrl).toBeUndefined();
  });
});

describe('fetchFeed from local paths that are not files (issue 10.10)', () => {
  it.each([
    ['/dev/zero', 'a character device'],
    ['/dev/null', 'a character device'],
  ])('%s is refused before reading: %s', async (source, what) => {
    const before = process.memoryUsage().rss;
    await expect(fetchFeed(source, options)).rejects.toThrow(`The feed ${source} is ${what}, not a file`);
    expect(process.memoryUsage().rss - before).toBeLessThan(50 * 1024 * 1024);
  });

  it('a directory is a clear error, not an internal one', async () => {
    const dir = tempDir('feed-dir');
    try {
      const error = await fetchFeed(dir, options).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).message).toBe(`The feed ${dir} is a directory, not a file`);
      expect((error as InputError).hint).toContain('--feed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a named pipe is refused without waiting for a writer', async () => {
    const dir = tempDir('feed-fifo');
    const fifo = join(dir, 'feed.fifo');
    try {
      const { execFileSync } = await import('node:child_process');
      execFileSync('mkfifo', [fifo]);
      await expect(fetchFeed(fifo, options)).rejects.toThrow(/is a pipe, not a file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('redact', () => {
  it('keeps origin and path, drops user info, query and fragment', () => {
    expect(redact('https://user:pw@example.test:8443/a/ipsum.txt?sig=abc#x')).toBe('https://example.test:8443/a/ipsum.txt');
  });
});
