// Preloaded with `node --import`: records every module the process loads (ESM imports and require()
// alike) and writes their URLs, one a line, to $LOAD_TRACE_FILE at exit. Tests use it to prove what a
// command does not load (test/cli/lazy-load.test.ts).
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const file = process.env.LOAD_TRACE_FILE;
const loaded = new Set<string>();
registerHooks({
  load(url, context, nextLoad) {
    loaded.add(url);
    return nextLoad(url, context);
  },
});
process.on('exit', () => {
  if (file) writeFileSync(file, [...loaded].map((url) => `${url}\n`).join(''));
});
