// Reads the repository's workspace functions (schemas/functions/<Name>.yaml, format:
// schemas/function.schema.json): functions a team or a solution saved in its workspaces, declared so
// that queries calling them are checked. Checked by hand, like table schemas, so that each message
// names the file, the field and the fix.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { FunctionSchema } from '../core/catalog/provider.ts';
import { ConfigError } from '../core/errors.ts';
import { isRecord } from '../core/guards.ts';
import { KQL_TYPES, isKqlType, type ColumnSchema } from '../core/kql/types.ts';
import { compareText } from '../core/text/compare.ts';
import { parseYaml } from '../core/yaml/document.ts';
import { linksOutside } from './confined.ts';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEYS = new Set(['name', 'description', 'parameters', 'body', 'columns']);
const HINT = 'See docs/tables-and-functions.md, "Adding a function", and schemas/function.schema.json.';

/** Every `<dir>/*.yaml` (absent folder: none), sorted by name. A malformed file throws ConfigError. */
export function loadFunctionSchemas(dir: string, root?: string): FunctionSchema[] {
  if (!existsSync(dir)) return [];
  const out: FunctionSchema[] = [];
  for (const entry of readdirSync(dir)
    .filter((e) => /\.ya?ml$/.test(e))
    .sort(compareText)) {
    const file = join(dir, entry);
    if (root !== undefined && linksOutside(root, file)) {
      throw new ConfigError(
        `function ${file} is a symbolic link that leads outside the repository: not read`,
        file,
        'Function declarations must live in the repository: copy the file in, or remove the link.',
      );
    }
    if (!statSync(file).isFile()) continue;
    out.push(parseFunctionSchema(file, readFileSync(file, 'utf8')));
  }
  return out;
}

/** One declaration's text → FunctionSchema; `file` names it in errors (its base name must be `<name>.yaml`). */
export function parseFunctionSchema(file: string, text: string): FunctionSchema {
  const fail = (problem: string, hint = HINT): never => {
    throw new ConfigError(`function ${file}: ${problem}`, file, hint);
  };
  const parsed = parseYaml(file, text);
  if (!parsed.ok) return fail(`not valid YAML (${parsed.diagnostics[0]?.message ?? 'syntax error'})`, 'Fix the YAML syntax.');
  const value = parsed.document.value;
  if (!isRecord(value)) return fail('expected a mapping with "name" and either "body" or "columns"');
  for (const key of Object.keys(value)) if (!KEYS.has(key)) fail(`unknown key "${key}"; allowed: ${[...KEYS].join(', ')}`);
  const { name, description, parameters, body, columns } = value;
  if (typeof name !== 'string' || !NAME.test(name)) return fail('"name" must be the function name, letters, digits and underscores');
  const stem = basename(file).replace(/\.ya?ml$/, '');
  if (stem !== name)
    fail(`the file must be named ${name}.yaml after its function "${name}"`, `Rename the file to ${name}.yaml, or fix "name".`);
  if (description !== undefined && typeof description !== 'string') fail('"description" must be a string');
  if ((body === undefined) === (columns === undefined))
    fail('give exactly one of "body" (the KQL the function runs) and "columns" (what it returns)');
  const out: FunctionSchema = { name, origin: file.split('\\').join('/') };
  if (body !== undefined) {
    if (typeof body !== 'string' || body.trim() === '') return fail('"body" must be the function\'s KQL, as a block scalar (body: |)');
    out.body = body;
  } else {
    out.columns = columnList(columns, fail);
  }
  if (parameters !== undefined) out.parameters = parameterList(parameters, fail);
  return out;
}

function columnList(value: unknown, fail: (problem: string, hint?: string) => never): ColumnSchema[] {
  if (!Array.isArray(value) || value.length === 0) return fail('"columns" must be a non-empty list of {name, type}');
  const seen = new Set<string>();
  return value.map((column: unknown, i): ColumnSchema => {
    if (!isRecord(column) || typeof column.name !== 'string' || !NAME.test(column.name))
      return fail(`columns[${i}] must be {name, type} with a column name`);
    if (!isKqlType(column.type))
      return fail(`columns[${i}] (${column.name}): type ${JSON.stringify(column.type)} is not one of ${KQL_TYPES.join(', ')}`);
    if (seen.has(column.name)) fail(`columns[${i}]: column "${column.name}" is declared twice`);
    seen.add(column.name);
    return { name: column.name, type: column.type };
  });
}

/** [{name, type, default?}] → the Kusto parameter list `(name:type[=default], …)`. */
function parameterList(value: unknown, fail: (problem: string, hint?: string) => never): string {
  if (!Array.isArray(value)) return fail('"parameters" must be a list of {name, type, default?}');
  let optional = false;
  const parts = value.map((p: unknown, i) => {
    if (!isRecord(p) || typeof p.name !== 'string' || !NAME.test(p.name))
      return fail(`parameters[${i}] must be {name, type, default?} with a parameter name`);
    if (!isKqlType(p.type))
      return fail(`parameters[${i}] (${p.name}): type ${JSON.stringify(p.type)} is not one of ${KQL_TYPES.join(', ')}`);
    if (p.default === undefined) {
      if (optional) fail(`parameters[${i}] (${p.name}) has no default but follows one that has`, 'Parameters with a default come last.');
      return `${p.name}:${p.type}`;
    }
    optional = true;
    if (typeof p.default !== 'string' && typeof p.default !== 'number' && typeof p.default !== 'boolean') {
      return fail(`parameters[${i}] (${p.name}): "default" must be a KQL literal such as datetime(null), '*' or dynamic([])`);
    }
    return `${p.name}:${p.type}=${String(p.default)}`;
  });
  return `(${parts.join(', ')})`;
}
