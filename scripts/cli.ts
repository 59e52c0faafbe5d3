// Entry point: builds the program, runs it, and is the ONE place that renders errors and sets the exit
// code (0 ok, 1 content or deployment failure, 2 usage error). Everything written — reports, progress,
// errors, the Azure SDK's logs (routed to stderr by the commands that load it) — passes through one
// redactor here (core/text/redact.ts): no secret reaches stdout or stderr, whatever format.
import { CommanderError } from 'commander';
import { realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './core/errors.ts';
import { neutralize } from './core/text/control.ts';
import { redactor } from './core/text/redact.ts';
import { buildProgram, type ProgramContext } from './program.ts';

export async function run(argv: readonly string[], raw: ProgramContext): Promise<number> {
  const redact = redactor([raw.env.SENTINEL_ACCESS_TOKEN]);
  const ctx: ProgramContext = { ...raw, stdout: (text) => raw.stdout(redact(text)), stderr: (text) => raw.stderr(redact(text)) };
  let exitCode = EXIT_OK;
  const program = buildProgram(ctx, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return renderError(error, ctx);
  }
}

function renderError(error: unknown, ctx: ProgramContext): number {
  if (error instanceof CommanderError) {
    // commander has already printed its message (help, version, or what was wrong with the flags).
    return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  }
  if (error instanceof AppError) {
    // Messages carry names and service text from outside: control characters shown, never acted on.
    ctx.stderr(`error: ${neutralize(error.message)}\n${error.hint ? `hint: ${neutralize(error.hint)}\n` : ''}`);
    return error.exitCode;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  ctx.stderr(`internal error (this is a bug; please report it with the output below):\n${detail}\n`);
  return EXIT_FAILURE;
}

export function processContext(): ProgramContext {
  return {
    root: resolve(dirname(fileURLToPath(import.meta.url)), '..'),
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTTY: Boolean(process.stdout.isTTY),
  };
}

/**
 * Sets the exit code, then makes sure the process ends once its output is flushed. Nothing of ours
 * stays armed after a command (the transport clears its timers), but a library's leftover handle
 * (a socket's timer, a credential's refresh) must not keep a finished command alive.
 */
export async function exitWhenDone(code: number): Promise<void> {
  process.exitCode = code;
  const flushed = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write('', () => resolve()));
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
}

/** How long a finished command may take to end by itself before it is ended. */
const EXIT_GRACE_MS = 500;

const invokedDirectly = process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (invokedDirectly) {
  await exitWhenDone(await run(process.argv.slice(2), processContext()));
}
