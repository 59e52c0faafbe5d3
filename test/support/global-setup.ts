// Runs once before the test workers start: they inherit the environment, so Node in every worker
// trusts the loopback certificate through NODE_EXTRA_CA_CERTS.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { createLoopbackCertificate } from './tls.ts';

/** Returns the teardown: the certificate's temporary folder goes when the run ends. */
export default async function setup(): Promise<() => void> {
  const tls = await createLoopbackCertificate();
  process.env.NODE_EXTRA_CA_CERTS = tls.caFile;
  process.env.TEST_TLS_CERT = tls.cert;
  process.env.TEST_TLS_KEY = tls.key;
  // No test may reach Azure or the internet: any proxy setting would send loopback traffic astray.
  for (const name of ['HTTPS_PROXY', 'HTTP_PROXY', 'https_proxy', 'http_proxy']) delete process.env[name];
  process.env.NO_PROXY = '127.0.0.1,localhost';
  return () => rmSync(dirname(tls.caFile), { recursive: true, force: true });
}
