// Preloaded (NODE_OPTIONS=--import) into every Node process of a benchmarked run: at exit, appends the
// process's CPU time and peak resident set size to $PROCESS_USAGE_FILE as `<cpu µs> <maxRSS KiB>`, so
// that the startup benchmark can report them for whole runs, npm's own process included.
import { appendFileSync } from 'node:fs';

const file = process.env.PROCESS_USAGE_FILE;
process.on('exit', () => {
  if (!file) return;
  const usage = process.resourceUsage();
  appendFileSync(file, `${usage.userCPUTime + usage.systemCPUTime} ${usage.maxRSS}\n`);
});
