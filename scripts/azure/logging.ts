// The Azure SDK logs (AZURE_LOG_LEVEL=verbose|info|warning|error) go where the CLI's own stderr goes,
// through cli.ts's redactor, instead of straight to the process: at `verbose` the SDK prints response
// headers it considers harmless (WWW-Authenticate, ETag, Server…), and a misbehaving endpoint can echo
// the bearer token in one of them.
import { createRequire } from 'node:module';
import { format } from 'node:util';
import { AzureLogger } from '@azure/logger';

const require = createRequire(import.meta.url);

export function routeSdkLogs(write: (text: string) => void): void {
  const log = (...args: unknown[]): void => write(`${format(...args)}\n`);
  AzureLogger.log = log;
  // The SDK's CommonJS build loads the CommonJS copy of @azure/logger, a logger of its own.
  (require('@azure/logger') as { AzureLogger: typeof AzureLogger }).AzureLogger.log = log;
}
