// Runs once before the test workers start: they inherit the environment, so Node in every worker
// trusts the loopback certificate through NODE_EXTRA_CA_CERTS, and every worker (and every process a
// test starts) puts its temporary files in one folder of this run, TMPDIR. At the end the run fails if
// anything is left in it: every test removes what it creates (test/support/temp.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { leftovers } from './temp.ts';
import { createLoopbackCertificate } from './tls.ts';

/** Returns the teardown: the certificate's folder and the run's temporary folder go when the run ends. */
export default async function setup(): Promise<() => void> {
  const tls = await createLoopbackCertificate();
  const temp = mkdtempSync(join(tmpdir(), 'sentinel-test-run-'));
  process.env.TMPDIR = temp;
  process.env.NODE_EXTRA_CA_CERTS = tls.caFile;
  process.env.TEST_TLS_CERT = tls.cert;
  process.env.TEST_TLS_KEY = tls.key;
  // No test may reach Azure or the internet: any proxy setting would send loopback traffic astray.
  for (const name of ['HTTPS_PROXY', 'HTTP_PROXY', 'https_proxy', 'http_proxy']) delete process.env[name];
  process.env.NO_PROXY = '127.0.0.1,localhost';
  return () => {
    rmSync(dirname(tls.caFile), { recursive: true, force: true });
    const left = leftovers(temp);
    rmSync(temp, { recursive: true, force: true });
    if (left.length > 0) {
      throw new Error(
        `the tests left ${left.length} temporary folder(s) behind: ${left.join(', ')}. Make them with tempDir() (test/support/temp.ts), or remove them in the test.`,
      );
    }
  };
}
