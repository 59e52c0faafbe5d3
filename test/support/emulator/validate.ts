// A tiny subset of JSON Schema, enough to answer like the service which property is wrong and why.
// The emulator is deliberately STRICTER than the service in one respect: a property that the
// api-version's spec does not define is rejected (the real service silently ignores most of them).
// That is how the tests prove that the bodies we send match the api-version we claim.
// Enums are matched case-sensitively for the same reason (the service parses most of them loosely).
import { badRequest } from './errors.ts';

export type Schema =
  | { type: 'string'; enum?: readonly string[]; pattern?: RegExp; patternHint?: string; minLength?: number; maxLength?: number }
  | { type: 'boolean' }
  | { type: 'integer'; minimum?: number; maximum?: number }
  | { type: 'duration' }
  | { type: 'array'; items: Schema; minItems?: number; maxItems?: number }
  | { type: 'object'; properties: Record<string, Schema>; required?: readonly string[] }
  | { type: 'map'; values: Schema; maxEntries?: number }
  | { type: 'any' }
  /** Read-only or server-filled: accepted (a client may send back what it read) and ignored. */
  | { type: 'serverManaged' };

export const str: Schema = { type: 'string' };
export const bool: Schema = { type: 'boolean' };
export const duration: Schema = { type: 'duration' };
export const serverManaged: Schema = { type: 'serverManaged' };
export const strings: Schema = { type: 'array', items: str };
export const oneOf = (values: readonly string[]): Schema => ({ type: 'string', enum: values });
export const arrayOf = (items: Schema, limits: { minItems?: number; maxItems?: number } = {}): Schema => ({
  type: 'array',
  items,
  ...limits,
});
export const object = (properties: Record<string, Schema>, required: readonly string[] = []): Schema => ({
  type: 'object',
  properties,
  required,
});

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Returns the first problem found, as a message naming the property path, or undefined. */
export function check(value: unknown, schema: Schema, path: string): string | undefined {
  switch (schema.type) {
    case 'any':
    case 'serverManaged':
      return undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${path} must be true or false, got ${show(value)}.`;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return `${path} must be an integer, got ${show(value)}.`;
      if (schema.minimum !== undefined && value < schema.minimum) return `${path} must be at least ${schema.minimum}, got ${value}.`;
      if (schema.maximum !== undefined && value > schema.maximum) return `${path} must be at most ${schema.maximum}, got ${value}.`;
      return undefined;
    case 'duration':
      return typeof value === 'string' && parseDuration(value) !== undefined
        ? undefined
        : `${path} must be an ISO 8601 duration such as PT5M, PT1H or P1D, got ${show(value)}.`;
    case 'string':
      if (typeof value !== 'string') return `${path} must be a string, got ${show(value)}.`;
      if (schema.enum && !schema.enum.includes(value)) return `${path} ${show(value)} is not one of: ${schema.enum.join(', ')}.`;
      if (schema.minLength !== undefined && value.length < schema.minLength)
        return `${path} must have at least ${schema.minLength} character(s).`;
      if (schema.maxLength !== undefined && value.length > schema.maxLength)
        return `${path} must have at most ${schema.maxLength} characters, got ${value.length}.`;
      if (schema.pattern && !schema.pattern.test(value))
        return `${path} ${show(value)} is invalid: ${schema.patternHint ?? `expected ${schema.pattern.source}`}.`;
      return undefined;
    case 'array': {
      if (!Array.isArray(value)) return `${path} must be an array, got ${show(value)}.`;
      if (schema.minItems !== undefined && value.length < schema.minItems) return `${path} must have at least ${schema.minItems} item(s).`;
      if (schema.maxItems !== undefined && value.length > schema.maxItems)
        return `${path} must have at most ${schema.maxItems} items, got ${value.length}.`;
      for (const [i, item] of value.entries()) {
        const problem = check(item, schema.items, `${path}[${i}]`);
        if (problem) return problem;
      }
      return undefined;
    }
    case 'map': {
      if (!isObject(value)) return `${path} must be an object, got ${show(value)}.`;
      const entries = Object.entries(value);
      if (schema.maxEntries !== undefined && entries.length > schema.maxEntries)
        return `${path} must have at most ${schema.maxEntries} entries, got ${entries.length}.`;
      for (const [key, item] of entries) {
        const problem = check(item, schema.values, `${path}.${key}`);
        if (problem) return problem;
      }
      return undefined;
    }
    case 'object': {
      if (!isObject(value)) return `${path} must be an object, got ${show(value)}.`;
      for (const key of schema.required ?? []) {
        if (value[key] === undefined || value[key] === null) return `${path}.${key} is required.`;
      }
      for (const [key, item] of Object.entries(value)) {
        const sub = schema.properties[key];
        if (!sub)
          return `${path}.${key} is not a property of this resource in this api-version (known: ${Object.keys(schema.properties).join(', ')}).`;
        if (item === null) continue; // null means "not set" for an optional property
        const problem = check(item, sub, `${path}.${key}`);
        if (problem) return problem;
      }
      return undefined;
    }
  }
}

/** Throws a 400 BadRequest when the body does not match the schema. */
export function validate(value: unknown, schema: Schema, path = 'body'): void {
  const problem = check(value, schema, path);
  if (problem) throw badRequest(problem);
}

/** Writable properties of a validated object: without server-managed ones and nulls. */
export function writable(value: Record<string, unknown>, schema: Schema): Record<string, unknown> {
  if (schema.type !== 'object') return { ...value };
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== null && schema.properties[key]?.type !== 'serverManaged') out[key] = item;
  }
  return out;
}

const DURATION = /^P(?!$)(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds of a day-time ISO 8601 duration (no years or months: they have no fixed length). */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m) return undefined;
  const [w, d, h, min, s] = m.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number];
  return ((((w * 7 + d) * 24 + h) * 60 + min) * 60 + s) * 1000;
}

/** The canonical form .NET's TimeSpan serializer writes (PT60M comes back as PT1H, PT24H as P1D). */
export function formatDuration(ms: number): string {
  const seconds = ms / 1000;
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round((seconds % 60) * 1000) / 1000;
  const time = `${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s ? `${s}S` : ''}`;
  return `P${d ? `${d}D` : ''}${time ? `T${time}` : d ? '' : 'T0S'}`;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
