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

/** The compiled validator of each kind, compiled on first use and kept (compiling the rule schema is the costly part). */
export type SchemaValidators = (kind: ContentKind) => ValidateFunction;

/**
 * A fresh set of validators, of the repository's schemas or of `schemas` in their place (tests give
 * small schemas that use keywords the repository's do not yet use).
 */
export function schemaValidators(schemas: Partial<Record<ContentKind, object>> = {}): SchemaValidators {
  const compiled = new Map<ContentKind, ValidateFunction>();
  return (kind) => {
    let validate = compiled.get(kind);
    if (!validate) {
      // strictRequired is off only because `then: {required: [...]}` names properties defined beside it.
      // verbose gives each error its parentSchema (descriptions, allowed keys) and data (the value shown).
      const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, verbose: true, allowUnionTypes: true });
      validate = ajv.compile(schemas[kind] ?? SCHEMAS[kind]);
      compiled.set(kind, validate);
    }
    return validate;
  };
}

const shared = schemaValidators();

export function schemaDiagnostics(kind: ContentKind, doc: YamlDocument, validators: SchemaValidators = shared): Diagnostic[] {
  const validate = validators(kind);
  if (validate(doc.value)) return [];
  // Stryker disable next-line ArrayDeclaration: ajv sets errors whenever the validator returns false; [] only satisfies the type
  const errors = validate.errors ?? [];
  // A typo'd key usually also makes a required key "missing": report the typo, not both.
  const suggested = new Set<string>();
  for (const error of errors) {
    if (error.keyword === 'additionalProperties') {
      const key = (error.params as { additionalProperty: string }).additionalProperty;
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
  // At the value, or at the key of a mapping entry (an unknown key, a key off its pattern, a missing key's parent).
  const at = (pointer: string, code: string, message: string, hint?: string): Diagnostic =>
    doc.diagnostic(pointer, code, 'error', message, hint);
  const atKey = (pointer: string, code: string, message: string, hint?: string): Diagnostic =>
    doc.diagnostic(pointer, code, 'error', message, hint, 'key');
  // Set on every error: the validators are compiled with `verbose`.
  const schema = error.parentSchema as { description?: string };
  // ajv writes a message for every error (its `messages` option is on by default).
  // Stryker disable next-line StringLiteral: the fallback is never used
  const says = error.message ?? 'is invalid';
  const propertyName = (error as ErrorObject & { propertyName?: string }).propertyName;
  if (propertyName !== undefined) {
    return atKey(
      `${path}${toPointer([propertyName])}`,
      'schema.key-format',
      `'${propertyName}' is not a valid key${inWhere(where)}`,
      schema.description ?? keyHint(error),
    );
  }
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = (error.params as { additionalProperty: string }).additionalProperty;
      const allowed = allowedKeys(error);
      return atKey(
        `${path}${toPointer([key])}`,
        'schema.unknown-key',
        `unknown key '${key}'${inWhere(where)}`,
        didYouMean(key, allowed) ?? `Allowed keys here: ${listOf([...allowed].sort())}.`,
      );
    }
    case 'required': {
      const missing = String((error.params as { missingProperty: string }).missingProperty);
      if (suggested.has(`${path}/${missing}`)) return undefined;
      const conditional = error.schemaPath.includes('/then/') ? ' (required for Scheduled rules)' : '';
      return atKey(
        path,
        'schema.missing-key',
        `missing required key '${missing}'${inWhere(where)}${conditional}`,
        `Add '${missing}:'${where ? ` under ${where}` : ' at the top level'}.`,
      );
    }
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const value = String(error.data);
      // Stryker disable next-line StringLiteral: where is empty only at the top, and a document is a mapping (parseYaml), never an enum's value
      const key = where || 'this key';
      return at(
        path,
        'schema.enum',
        `'${value}' is not an allowed value for ${key}`,
        didYouMean(value, allowed) ?? `Use one of ${listOf(allowed)}.`,
      );
    }
    case 'type':
      return at(
        path,
        'schema.type',
        `${where || 'the document'} must be ${article(String((error.params as { type: string }).type))}, not ${kindOf(error.data)}`,
      );
    case 'pattern': {
      // A control character in a name or description: say which and where, never echo the text.
      // ajv checks a pattern on strings only
      const control = refusedCharacter((error.params as { pattern: string }).pattern, error.data as string);
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
        'schema.format',
        `'${String(error.data)}' is not a valid value for ${where}`,
        schema.description ?? `Expected a value matching ${(error.params as { pattern: string }).pattern}.`,
      );
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return at(path, 'schema.range', `${where} ${says} (is ${String(error.data)})`);
    case 'minLength':
    case 'maxLength':
      return at(path, 'schema.length', `${where} ${says} (has ${String(error.data).length})`);
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
    case 'maxProperties':
      return at(path, 'schema.count', `${where || 'the document'} ${says}`);
    case 'uniqueItems':
      return at(path, 'schema.duplicate-item', `${where} lists the same value twice`, 'Remove the duplicate entry.');
    case 'if':
    case 'anyOf':
    case 'oneOf':
    case 'propertyNames':
      return undefined; // the branch errors beside them say what is wrong
    // (a failed `const` is such a branch error itself: reported by the default below, never dropped)
    default:
      return at(path, 'schema.invalid', `${where || 'the document'} ${says}`);
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
  const parent = error.parentSchema as { properties?: Record<string, unknown> };
  return new Set(Object.keys(parent.properties ?? {}));
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
  // JSON.stringify would show YAML's .inf and .nan as null
  return `${article(typeof value)} (${typeof value === 'number' ? String(value) : JSON.stringify(value)})`;
}
