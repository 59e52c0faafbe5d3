// A throwaway certificate for the local HTTPS servers (Sentinel emulator, IPsum feed server).
// Clients trust it the way they would trust a corporate proxy: NODE_EXTRA_CA_CERTS, read by Node at
// process start. vitest's global setup generates it before the test workers start (see
// test/support/global-setup.ts); `npm run emulator` generates its own and prints the variable to set.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  cert: string;
  key: string;
  /** Path of the PEM file to put in NODE_EXTRA_CA_CERTS. */
  caFile: string;
}

/** The CA file goes into `dir` (default: a new temporary folder, which the caller removes with it). */
export async function createLoopbackCertificate(dir?: string): Promise<TlsMaterial> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    notAfterDate: new Date(Date.now() + 7 * 24 * 3600 * 1000),
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  const caFile = join(dir ?? mkdtempSync(join(tmpdir(), 'sentinel-tls-')), 'ca.pem');
  writeFileSync(caFile, pems.cert);
  return { cert: pems.cert, key: pems.private, caFile };
}

/** The material the global setup created for this test run (same certificate in every worker). */
export function testTls(): TlsMaterial {
  const cert = process.env.TEST_TLS_CERT;
  const key = process.env.TEST_TLS_KEY;
  const caFile = process.env.NODE_EXTRA_CA_CERTS;
  if (!cert || !key || !caFile) {
    throw new Error('test TLS material missing: run tests through vitest (test/support/global-setup.ts creates it)');
  }
  return { cert, key, caFile };
}
