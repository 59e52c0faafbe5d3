// `npm run bench`: runs every test/bench/*.bench.ts (or those named on the command line) in order
// and prints their figures. Benchmarks report; they never fail on time.
import { readdirSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();

console.log(`node ${process.version} · ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown cpu'})`);
for (const file of files) {
  console.log(`\n## ${basename(file, '.bench.ts')}`);
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: () => Promise<void> };
  await mod.default();
}
