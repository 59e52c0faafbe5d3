// Layer (b): JSON Schema. ajv validates the parsed YAML; each error's instance path is mapped back
// to the YAML source position, and turned into a diagnostic with a stable code and a hint.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import ruleSchema from '../../../schemas/rule.schema.json' with { type: 'json' };
import watchlistSchema from '../../../schemas/watchlist.schema.json' with { type: 'json' };
import workspacesSchema from '../../../schemas/workspaces.schema.json' with { type: 'json' };
import type { Diagnostic } from '../diagnostics.ts';
import { closest, didYouMean, listOf } from '../text/suggest.ts';
import { fromPointer, toPointer, type YamlDocument } from '../yaml/document.ts';
import { describePath } from './paths.ts';
import { hasControl, neutralize } from '../text/control.ts';

export type ContentKind = 'rule' | 'watchlist' | 'workspaces';

const SCHEMAS: Record<ContentKind, object> = { rule: ruleSchema, watchlist: watchlistSchema, workspaces: workspacesSchema };
const compiled = new Map<ContentKind, ValidateFunction>();

function validator(kind: ContentKind): ValidateFunction {
  let validate = compiled.get(kind);
  if (!validate) {
    // strictRequired is off only because `then: {required: [...]}` names properties defined beside it.
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, verbose: true, allowUnionTypes: true });
    validate = ajv.compile(SCHEMAS[kind]);
    compiled.set(kind, validate);
  }
  return validate;
}

export function schemaDiagnostics(kind: ContentKind, doc: YamlDocument): Diagnostic[] {
  const validate = validator(kind);
  if (validate(doc.value)) return [];
  const errors = validate.errors ?? [];
  // A typo'd key usually also makes a required key "missing": report the typo, not both.
  const suggested = new Set<string>();
  for (const error of errors) {
    if (error.keyword === 'additionalProperties') {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      const match = closest(key, allowedKeys(error));
      if (match) suggested.add(`${error.instancePath}/${match}`);
    }
  }
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const diagnostic = toDiagnostic(error, doc, suggested);
    if (!diagnostic) continue;
    const key = `${diagnostic.code}|${diagnostic.line}|${diagnostic.column}|${diagnostic.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(diagnostic);
  }
  return out;
}

function toDiagnostic(error: ErrorObject, doc: YamlDocument, suggested: Set<string>): Diagnostic | undefined {
  const path = error.instancePath;
  const where = describePath(fromPointer(path));
  const at = (pointer: string, position: 'key' | 'value', code: string, message: string, hint?: string): Diagnostic =>
    doc.diagnostic(pointer, code, 'error', message, hint, position);
  const schema = error.parentSchema as { description?: string; enum?: unknown[] } | undefined;
  const propertyName = (error as ErrorObject & { propertyName?: string }).propertyName;
  if (propertyName !== undefined) {
    return at(
      `${path}${toPointer([propertyName])}`,
      'key',
      'schema.key-format',
      `'${propertyName}' is not a valid key${inWhere(where)}`,
      schema?.description ?? keyHint(error),
    );
  }
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      const allowed = allowedKeys(error);
      return at(
        `${path}${toPointer([key])}`,
        'key',
        'schema.unknown-key',
        `unknown key '${key}'${inWhere(where)}`,
        didYouMean(key, allowed) ?? `Allowed keys here: ${listOf([...allowed].sort())}.`,
      );
    }
    case 'required': {
      const missing = String((error.params as { missingProperty: string }).missingProperty);
      if (suggested.has(`${path}/${missing}`)) return undefined;
      const conditional = error.schemaPath.includes('/then/') ? ' (required for Scheduled rules)' : '';
      return at(
        path,
        'key',
        'schema.missing-key',
        `missing required key '${missing}'${inWhere(where)}${conditional}`,
        `Add '${missing}:'${where ? ` under ${where}` : ' at the top level'}.`,
      );
    }
    case 'enum': {
      const allowed = (schema?.enum ?? (error.params as { allowedValues?: unknown[] }).allowedValues ?? []).map(String);
      const value = String(error.data);
      return at(
        path,
        'value',
        'schema.enum',
        `'${value}' is not an allowed value for ${where || 'this key'}`,
        didYouMean(value, allowed) ?? `Use one of ${listOf(allowed)}.`,
      );
    }
    case 'type':
      return at(
        path,
        'value',
        'schema.type',
        `${where || 'the document'} must be ${article(String((error.params as { type: string }).type))}, not ${kindOf(error.data)}`,
      );
    case 'pattern': {
      // A control character in a name or description: say which and where, never echo the text.
      const control =
        typeof error.data === 'string' ? refusedCharacter(String((error.params as { pattern: string }).pattern), error.data) : undefined;
      if (control) {
        return {
          code: 'schema.control-character',
          severity: 'error',
          file: doc.file,
          ...doc.locateInString(fromPointer(path), control.index),
          message: `${where} contains the control character ${control.shown} (character ${control.index + 1}): names and descriptions are shown in reports, pull-request comments and the portal`,
          hint: 'Remove it (a line break in a name, an escape sequence or a bidirectional override pasted from elsewhere).',
        };
      }
      return at(
        path,
        'value',
        'schema.format',
        `'${String(error.data)}' is not a valid value for ${where}`,
        schema?.description ?? `Expected a value matching ${String((error.params as { pattern: string }).pattern)}.`,
      );
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return at(path, 'value', 'schema.range', `${where} ${error.message ?? ''} (is ${String(error.data)})`);
    case 'minLength':
    case 'maxLength':
      return at(path, 'value', 'schema.length', `${where} ${error.message ?? ''} (has ${String(error.data).length})`);
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
    case 'maxProperties':
      return at(path, 'value', 'schema.count', `${where || 'the document'} ${error.message ?? ''}`);
    case 'uniqueItems':
      return at(path, 'value', 'schema.duplicate-item', `${where} lists the same value twice`, 'Remove the duplicate entry.');
    case 'if':
    case 'anyOf':
    case 'oneOf':
    case 'const':
    case 'propertyNames':
      return undefined; // the branch errors beside them say what is wrong
    default:
      return at(path, 'value', 'schema.invalid', `${where || 'the document'} ${error.message ?? 'is invalid'}`);
  }
}

/**
 * For a pattern that refuses characters (`^[^…]*$`), the first control character of `text` it refuses,
 * shown as `\n` / `\u001b`; undefined for other patterns and other characters.
 */
function refusedCharacter(pattern: string, text: string): { index: number; shown: string } | undefined {
  const refused = /^\^\[\^(.*)\]\*\$$/.exec(pattern);
  if (!refused) return undefined;
  const match = new RegExp(`[${refused[1]}]`, 'u').exec(text);
  return match && hasControl(match[0]) ? { index: match.index, shown: neutralize(match[0]) } : undefined;
}

function allowedKeys(error: ErrorObject): Set<string> {
  const parent = error.parentSchema as { properties?: Record<string, unknown> } | undefined;
  return new Set(Object.keys(parent?.properties ?? {}));
}

function keyHint(error: ErrorObject): string | undefined {
  const pattern = (error.params as { pattern?: string }).pattern;
  return pattern ? `Keys here must match ${pattern}.` : undefined;
}

function inWhere(where: string): string {
  return where ? ` in ${where}` : '';
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${article(typeof value)} (${JSON.stringify(value)})`;
}
