// `npm run emulator [-- --port 8443 --latency-ms 0 --provisioning-delay-ms 2000]`: a local Sentinel
// to try plan/deploy/sync without Azure. Prints what to export, then one line per request.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createLoopbackCertificate } from '../tls.ts';
import { startEmulator } from './server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8443' },
    'latency-ms': { type: 'string', default: '0' },
    'provisioning-delay-ms': { type: 'string', default: '2000' },
  },
});
const number = (name: keyof typeof values): number => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} expects a non-negative integer, got '${values[name]}'.`);
    process.exit(2);
  }
  return n;
};

const settings = { port: number('port'), latencyMs: number('latency-ms'), provisioningDelayMs: number('provisioning-delay-ms') };
const tls = await createLoopbackCertificate();
const token = `emulator-${randomBytes(16).toString('hex')}`; // a fresh local token per run; not an Azure credential
const emulator = await startEmulator({
  ...settings,
  tls,
  token,
  onRequest: (r) => console.log(`${r.method} ${r.type} ${r.workspace ?? '-'} ${r.name ?? ''} → ${r.status || 'dropped'}`),
});

console.log(`Sentinel emulator listening on ${emulator.url}

In the shell that runs the CLI:
  export NODE_EXTRA_CA_CERTS=${tls.caFile}
  export SENTINEL_ACCESS_TOKEN=${token}

In workspaces.yaml, for each workspace (any subscriptionId/resourceGroup/workspace names work):
      armEndpoint: ${emulator.url}

State is in memory only. Press Ctrl-C to stop.
`);

process.once('SIGINT', () => {
  void emulator.close().then(() => process.exit(0));
});
