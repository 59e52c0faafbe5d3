#!/usr/bin/env node
// The package's bin. Plain JavaScript, so that an older Node prints one clear line instead of failing
// on TypeScript syntax; the CLI itself runs on Node's own type stripping (no transpile at start).
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `error: this tool needs Node.js 24 or later; this is Node.js ${process.version}\n` +
      'hint: install Node.js 24 LTS (the version in .nvmrc; with nvm: `nvm install`), then run the command again\n',
  );
  process.exit(2);
}
// Node keeps the compiled code of the CLI and its dependencies (Kusto.Language is 5 MB of JavaScript) in
// its compile cache (os.tmpdir()/node-compile-cache, or $NODE_COMPILE_CACHE; NODE_DISABLE_COMPILE_CACHE=1
// turns it off), which takes about a sixth off a validate run's CPU time. It never changes behaviour:
// entries are keyed by the source's checksum, and a folder that cannot be written is skipped.
const { enableCompileCache } = await import('node:module');
enableCompileCache();
const { run, processContext, exitWhenDone } = await import('./cli.ts');
await exitWhenDone(await run(process.argv.slice(2), processContext()));
