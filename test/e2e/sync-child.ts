// The real CLI in a process of its own (the crash test kills it between item writes; the exit test
// times how long it lives after its report). Same entry as scripts/cli.ts, with the repository root
// of the test (SYNC_ROOT).
import { exitWhenDone, processContext, run } from '../../scripts/cli.ts';

const root = process.env.SYNC_ROOT;
if (!root) throw new Error('SYNC_ROOT is not set');
// The harness's clock, so that this run and the test's in-process runs agree on the month.
const fixed = process.env.SYNC_NOW ? new Date(Number(process.env.SYNC_NOW)) : undefined;
await exitWhenDone(await run(process.argv.slice(2), { ...processContext(), root, ...(fixed ? { now: () => fixed } : {}) }));
