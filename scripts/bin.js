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
const { run, processContext } = await import('./cli.ts');
process.exitCode = await run(process.argv.slice(2), processContext());
