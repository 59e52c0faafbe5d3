// The architecture's boundaries, checked the way docs.test.ts checks the docs (see docs/architecture.md):
// - scripts/core is pure: no I/O, and it imports nothing from io/, azure/, report/, commands/ or the CLI
//   (only its own modules, a few parsing packages, and the JSON Schemas in schemas/ as data);
// - only scripts/azure imports @azure/*;
// - only scripts/cli.ts (and the plain-JS bin) writes to the process (stdout, stderr, exit code, console).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/content.ts';

const scriptsDir = join(repoRoot, 'scripts');

/** What the pure core may import besides its own modules: parsers and Kusto.Language, hashing, and the
 * require() that loads Kusto.Language's scripts. Anything that reads or writes belongs in scripts/io. */
const CORE_PACKAGES = [/^js-yaml$/, /^ajv(\/.*)?$/, /^@kusto\/language-service-next(\/.*)?$/, /^node:crypto$/, /^node:module$/];
const PROCESS_OUTPUT = new Set(['stdout', 'stderr', 'exit', 'exitCode']);
const OUTPUT_OWNERS = new Set(['scripts/cli.ts']);

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tsFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every module specifier of a file: static imports and re-exports, `import()` and `require()`. */
function specifiers(source: ts.SourceFile): { text: string; line: number }[] {
  const found: { text: string; line: number }[] = [];
  const add = (node: ts.Node, text: string): void => {
    found.push({ text, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1 });
  };
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      add(node, node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteralLike(node.arguments[0]!)) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require'))
        add(node, (node.arguments[0] as ts.StringLiteral).text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** `process.stdout|stderr|exit|exitCode` and `console.*` uses. */
function processOutput(source: ts.SourceFile): { text: string; line: number }[] {
  const found: { text: string; line: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
      const owner = node.expression.text;
      if ((owner === 'process' && PROCESS_OUTPUT.has(node.name.text)) || owner === 'console') {
        found.push({ text: `${owner}.${node.name.text}`, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1 });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The boundary violations of one file, given its path relative to the repository (`scripts/…`). */
export function violations(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const inCore = file.startsWith('scripts/core/');
  for (const { text: spec, line } of specifiers(source)) {
    const where = `${file}:${line}`;
    if (spec.startsWith('@azure/') && !file.startsWith('scripts/azure/'))
      out.push(`${where} imports ${spec}: only scripts/azure may import @azure/*`);
    if (!inCore) continue;
    if (spec.startsWith('.')) {
      const target = relative(repoRoot, resolve(dirname(join(repoRoot, file)), spec))
        .split(sep)
        .join('/');
      // The JSON Schemas are data compiled into the validator, not I/O.
      const schemaData = target.startsWith('schemas/') && target.endsWith('.json');
      if (!target.startsWith('scripts/core/') && !schemaData)
        out.push(`${where} imports ${target}: scripts/core is pure and imports only scripts/core`);
    } else if (!CORE_PACKAGES.some((allowed) => allowed.test(spec))) {
      out.push(`${where} imports ${spec}: scripts/core does no I/O (move it to scripts/io, or pass the data in)`);
    }
  }
  if (!OUTPUT_OWNERS.has(file)) {
    for (const use of processOutput(source)) out.push(`${file}:${use.line} uses ${use.text}: only scripts/cli.ts writes to the process`);
  }
  return out;
}

describe('architecture boundaries', () => {
  it('hold for every module under scripts/', () => {
    const files = tsFiles(scriptsDir);
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((path) => violations(relative(repoRoot, path).split(sep).join('/'), readFileSync(path, 'utf8')));
    expect(found).toEqual([]);
  });

  it('refuse a core module that reads files or imports the Azure SDK, wherever the import is', () => {
    expect(violations('scripts/core/feed/x.ts', "import { readFileSync } from 'node:fs';\n")).toEqual([
      'scripts/core/feed/x.ts:1 imports node:fs: scripts/core does no I/O (move it to scripts/io, or pass the data in)',
    ]);
    expect(violations('scripts/core/plan/x.ts', "const m = await import('@azure/identity');\n")).toEqual([
      'scripts/core/plan/x.ts:1 imports @azure/identity: only scripts/azure may import @azure/*',
      'scripts/core/plan/x.ts:1 imports @azure/identity: scripts/core does no I/O (move it to scripts/io, or pass the data in)',
    ]);
    expect(violations('scripts/core/sync/x.ts', "export { api } from '../../azure/api.ts';\n")).toEqual([
      'scripts/core/sync/x.ts:1 imports scripts/azure/api.ts: scripts/core is pure and imports only scripts/core',
    ]);
    expect(violations('scripts/core/validate/x.ts', "import s from '../../../schemas/rule.schema.json' with { type: 'json' };\n")).toEqual(
      [],
    );
    expect(
      violations(
        'scripts/core/kql/x.ts',
        "import { x } from '../validate/y.ts';\nconst r = require('@kusto/language-service-next/bridge.min.js');\n",
      ),
    ).toEqual([]);
  });

  it('refuse @azure/* outside scripts/azure and process output outside cli.ts', () => {
    expect(
      violations(
        'scripts/commands/x.ts',
        "import type { TokenCredential } from '@azure/core-auth';\nconsole.log(1);\nprocess.stdout.write('');\n",
      ),
    ).toEqual([
      'scripts/commands/x.ts:1 imports @azure/core-auth: only scripts/azure may import @azure/*',
      'scripts/commands/x.ts:2 uses console.log: only scripts/cli.ts writes to the process',
      'scripts/commands/x.ts:3 uses process.stdout: only scripts/cli.ts writes to the process',
    ]);
    expect(violations('scripts/azure/x.ts', "import { x } from '@azure/identity';\nconst env = process.env;\n")).toEqual([]);
    expect(violations('scripts/cli.ts', 'process.exitCode = 1;\n')).toEqual([]);
  });
});
