// A local HTTPS stand-in for raw.githubusercontent.com serving an IPsum feed, with the fault classes
// the sync must survive as named scenarios. Listens on 127.0.0.1, port 0, with the loopback
// certificate that the test workers trust (test/support/tls.ts). Counts every request.
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { testTls } from './tls.ts';

export type FeedScenario =
  | 'ok' // the body, with ETag + Last-Modified; 304 to a matching conditional request
  | 'html-200' // a proxy's HTML error page with status 200
  | 'empty' // 200 with no body
  | 'truncated' // the body cut mid-line, no final newline
  | '404'
  | '500' // every request fails (see `failures` for a number of failures, then ok)
  | '429' // throttled with Retry-After: 0
  | 'stall' // headers and the first chunk, then silence
  | 'reset' // content-length of the whole body, half of it sent, then the connection dropped
  | 'oversized' // a streamed body of `oversizedBytes` bytes, without content-length
  | 'garbage' // the body with garbage, IPv6 and leading-zero lines mixed in
  | 'crlf' // the body with CRLF line endings
  | 'trickle' // headers, then one byte every 50 ms: never silent long enough for an idle timeout
  | 'redirect'; // 302 to the same feed on https://localhost:<port> (another host name), which serves it

export interface RequestRecord {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

export interface FeedServer {
  /** https://127.0.0.1:<port>/ipsum.txt */
  url: string;
  origin: string;
  /** Requests served since start or the last reset(). */
  readonly requests: number;
  readonly log: readonly RequestRecord[];
  /** Switch scenario; `failures` (for '500' and '429') fails that many requests, then serves 'ok'. */
  use(scenario: FeedScenario, options?: { failures?: number }): void;
  setBody(body: string, lastModified?: Date): void;
  readonly etag: string;
  readonly lastModified: string;
  reset(): void;
  close(): Promise<void>;
}

export interface FeedServerOptions {
  body?: string;
  lastModified?: Date;
  oversizedBytes?: number;
}

export async function startFeedServer(options: FeedServerOptions = {}): Promise<FeedServer> {
  const { cert, key } = testTls();
  let body = options.body ?? syntheticFeed({ ips: 600 });
  let modified = options.lastModified ?? new Date(Date.UTC(2026, 7, 22, 1, 0, 29));
  let scenario: FeedScenario = 'ok';
  let failuresLeft = Number.POSITIVE_INFINITY;
  const oversizedBytes = options.oversizedBytes ?? 64 * 1024;
  const log: RequestRecord[] = [];
  const etagOf = (): string => `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;

  const serveOk = (req: IncomingMessage, res: ServerResponse): void => {
    const etag = etagOf();
    const lastModified = modified.toUTCString();
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    const fresh = inm !== undefined ? inm === etag : ims !== undefined && Date.parse(ims) >= Math.floor(modified.getTime() / 1000) * 1000;
    if (fresh) {
      res.writeHead(304, { etag, 'last-modified': lastModified }).end();
      return;
    }
    send(res, 200, body, { etag, 'last-modified': lastModified });
  };

  const server = createServer({ cert, key }, (req, res) => {
    log.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    const current = scenario === 'redirect' && req.headers.host?.startsWith('localhost') ? 'ok' : scenario;
    if ((current === '500' || current === '429') && failuresLeft <= 0) return serveOk(req, res);
    switch (current) {
      case 'ok':
        return serveOk(req, res);
      case 'html-200':
        return send(res, 200, '<!DOCTYPE html>\n<html><head><title>Proxy notice</title></head><body>Please log in.</body></html>\n', {
          'content-type': 'text/html; charset=utf-8',
        });
      case 'empty':
        return send(res, 200, '');
      case 'truncated': {
        // Cut inside the last data line, a few characters after its start.
        const cut = body.lastIndexOf('\n', body.length - 2) + 5;
        return send(res, 200, body.slice(0, cut));
      }
      case '404':
        return send(res, 404, '404: Not Found');
      case '500':
        failuresLeft--;
        return send(res, 500, 'Internal Server Error');
      case '429':
        failuresLeft--;
        return send(res, 429, 'Too Many Requests', { 'retry-after': '0' });
      case 'stall':
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write(body.slice(0, 64)); // then nothing, until the client gives up or close()
        return;
      case 'reset': {
        const bytes = Buffer.from(body);
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(bytes.length) });
        res.write(bytes.subarray(0, bytes.length >> 1), () => res.destroy());
        return;
      }
      case 'oversized':
        return streamOversized(res, oversizedBytes);
      case 'garbage':
        return send(res, 200, withGarbage(body));
      case 'crlf':
        return send(res, 200, body.replace(/\n/g, '\r\n'));
      case 'trickle':
        return trickle(res, body);
      case 'redirect':
        res.writeHead(302, { location: `https://localhost:${(server.address() as AddressInfo).port}${req.url ?? '/'}` }).end();
        return;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `https://127.0.0.1:${port}`;

  return {
    url: `${origin}/ipsum.txt`,
    origin,
    get requests() {
      return log.length;
    },
    log,
    use(next, opts) {
      scenario = next;
      failuresLeft = opts?.failures ?? Number.POSITIVE_INFINITY;
    },
    setBody(next, lastModified) {
      body = next;
      if (lastModified) modified = lastModified;
    },
    get etag() {
      return etagOf();
    },
    get lastModified() {
      return modified.toUTCString();
    },
    reset() {
      log.length = 0;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  const bytes = Buffer.from(text, 'utf8');
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(bytes.length), ...headers });
  res.end(bytes);
}

function trickle(res: ServerResponse, text: string): void {
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
  let at = 0;
  const timer = setInterval(() => {
    if (res.destroyed || at >= text.length) {
      clearInterval(timer);
      if (!res.destroyed) res.end();
      return;
    }
    res.write(text[at++]!);
  }, 50);
  res.on('close', () => clearInterval(timer));
}

function streamOversized(res: ServerResponse, total: number): void {
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }); // chunked: no content-length to trust
  const line = Buffer.from('198.51.100.1\t4\n');
  let sent = 0;
  const pump = (): void => {
    while (sent < total && !res.destroyed) {
      sent += line.length;
      if (!res.write(line)) return void res.once('drain', pump);
    }
    res.end();
  };
  pump();
}

/** Bad lines after the header, one of each class; well-formed lines stay as they were. */
export const GARBAGE_LINES = ['2001:db8::1\t5', '010.1.1.1\t4', '300.1.1.1\t4', '192.0.2.9\tfour', 'garbage without a tab'];

function withGarbage(body: string): string {
  const lines = body.split('\n');
  const firstData = lines.findIndex((l) => l !== '' && !l.startsWith('#'));
  lines.splice(firstData < 0 ? lines.length : firstData, 0, ...GARBAGE_LINES);
  return lines.join('\n');
}

export interface SyntheticFeedOptions {
  /** Number of distinct IPs (198.18.x.y, counts cycling 1..10 unless `count` is given). */
  ips?: number;
  /** Header style: 'new' (7 lines) or 'old' (4 lines, as in 2020 builds). */
  header?: 'new' | 'old';
  lastUpdate?: string;
  count?: (index: number) => number;
  /** Extra data lines appended as they are. */
  extra?: readonly string[];
}

/** A small IPsum-shaped feed built from scratch (tests never read /work/shared). */
export function syntheticFeed(options: SyntheticFeedOptions = {}): string {
  const lastUpdate = options.lastUpdate ?? 'Sat, 22 Aug 2026 03:00:29 +0200';
  const header =
    options.header === 'old'
      ? [`# Last update: ${lastUpdate}`, '#', '# IP\tnumber of (black)lists', '#']
      : [
          '# IPsum Threat Intelligence Feed',
          '# (https://github.com/stamparm/ipsum)',
          '#',
          `# Last update: ${lastUpdate}`,
          '#',
          '# IP\tnumber of (black)lists',
          '#',
        ];
  const data: string[] = [];
  for (let i = 0; i < (options.ips ?? 0); i++) {
    const count = options.count ? options.count(i) : (i % 10) + 1;
    data.push(`198.18.${(i >> 8) & 255}.${i & 255}\t${count}`);
  }
  return [...header, ...data, ...(options.extra ?? [])].join('\n') + '\n';
}
