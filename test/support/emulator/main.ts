// `npm run emulator [-- --port 8443 --latency-ms 0 --provisioning-delay-ms 2000]`: a local Sentinel
// to try plan/deploy/sync without Azure. Prints what to export, then one line per request. The
// certificate it generates lives in a temporary folder that goes when it stops (Ctrl-C, SIGTERM) or
// cannot start; a port in use is a one-line message saying how to pick another, not a stack trace.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { createLoopbackCertificate } from '../tls.ts';
import { startEmulator, type Emulator } from './server.ts';

const USAGE = 'usage: npm run emulator -- [--port <n>] [--latency-ms <n>] [--provisioning-delay-ms <n>]';

function fail(message: string, code: number): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(code);
}

let values: Record<string, string | undefined>;
try {
  values = parseArgs({
    options: {
      port: { type: 'string', default: '8443' },
      'latency-ms': { type: 'string', default: '0' },
      'provisioning-delay-ms': { type: 'string', default: '2000' },
    },
  }).values;
} catch (error) {
  fail((error as Error).message, 2);
}
const number = (name: string, max = Number.MAX_SAFE_INTEGER): number => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 0 || n > max) fail(`--${name} expects a whole number from 0 to ${max}, got '${values[name]}'.`, 2);
  return n;
};

const settings = { port: number('port', 65_535), latencyMs: number('latency-ms'), provisioningDelayMs: number('provisioning-delay-ms') };
const tls = await createLoopbackCertificate();
const removeCertificate = (): void => rmSync(dirname(tls.caFile), { recursive: true, force: true });
const token = `emulator-${randomBytes(16).toString('hex')}`; // a fresh local token per run; not an Azure credential

let emulator: Emulator;
try {
  emulator = await startEmulator({
    ...settings,
    tls,
    token,
    onRequest: (r) => console.log(`${r.method} ${r.type} ${r.workspace ?? '-'} ${r.name ?? ''} → ${r.status || 'dropped'}`),
  });
} catch (error) {
  removeCertificate();
  const code = (error as { code?: string }).code;
  if (code === 'EADDRINUSE')
    fail(
      `Port ${settings.port} on 127.0.0.1 is in use (another emulator?). Stop that process, or pick another port with --port <n> (--port 0 picks a free one).`,
      1,
    );
  if (code === 'EACCES')
    fail(
      `Port ${settings.port} on 127.0.0.1 needs privileges this user does not have: pick one above 1023 with --port <n> (--port 0 picks a free one).`,
      1,
    );
  throw error;
}

console.log(`Sentinel emulator listening on ${emulator.url}

In the shell that runs the CLI:
  export NODE_EXTRA_CA_CERTS=${tls.caFile}
  export SENTINEL_ACCESS_TOKEN=${token}

In workspaces.yaml, for each workspace (any subscriptionId/resourceGroup/workspace names work):
      armEndpoint: ${emulator.url}

State is in memory only. Press Ctrl-C to stop.
`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void emulator.close().finally(() => {
      removeCertificate();
      process.exit(0);
    });
  });
}
