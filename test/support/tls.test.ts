import { createServer } from 'node:https';
import { describe, expect, it } from 'vitest';
import { testTls } from './tls.ts';

describe('loopback TLS', () => {
  it('is trusted by fetch in the worker through NODE_EXTRA_CA_CERTS', async () => {
    const { cert, key } = testTls();
    const server = createServer({ cert, key }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const response = await fetch(`https://127.0.0.1:${port}/`);
      expect(await response.text()).toBe('ok');
    } finally {
      server.close();
    }
  });
});
