// Rule parameters. A parameter is a top-level `let Name = <literal>;` in the query: the literal is the
// default, so the query in the YAML file runs as it is in Log Analytics. A workspace override replaces
// the literal with its own value, rendered as a KQL literal of the declared type.
import type { ParameterType, ParameterValue, ParameterYaml } from './yaml-types.ts';

/** A top-level let statement's value span in the query (from the KQL layer). */
export interface LetBinding {
  name: string;
  valueStart: number;
  valueLength: number;
  valueText: string;
  literal: boolean;
}

export function renderKqlLiteral(type: ParameterType, value: ParameterValue): string {
  switch (type) {
    case 'int':
    case 'long':
    case 'real':
      return String(value);
    case 'bool':
      return value ? 'true' : 'false';
    case 'timespan':
      return String(value);
    case 'string':
      return kqlString(String(value));
    case 'int[]':
      return `dynamic([${(value as number[]).map(String).join(', ')}])`;
    case 'string[]':
      return `dynamic([${(value as string[]).map((v) => JSON.stringify(v)).join(', ')}])`;
  }
}

function kqlString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The value of a let literal as the declared type, or undefined when it is not one. */
export function parseKqlLiteral(type: ParameterType, text: string): ParameterValue | undefined {
  const t = text.trim();
  switch (type) {
    case 'int':
    case 'long':
      return /^-?\d+$/.test(t) ? Number(t) : undefined;
    case 'real':
      return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : undefined;
    case 'bool':
      return t === 'true' ? true : t === 'false' ? false : undefined;
    case 'timespan':
      return /^\d+(\.\d+)?(d|h|m|s|ms|microsecond|tick)$/.test(t) ? t : undefined;
    case 'string': {
      const match = /^(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")$/.exec(t);
      return match ? (match[1] ?? match[2] ?? '').replace(/\\(.)/g, '$1') : undefined;
    }
    case 'int[]':
    case 'string[]': {
      const match = /^dynamic\(\s*(\[[\s\S]*\])\s*\)$/.exec(t);
      if (!match) return undefined;
      try {
        const parsed: unknown = JSON.parse(match[1]!.replace(/'/g, '"'));
        const want = type === 'int[]' ? 'number' : 'string';
        return Array.isArray(parsed) && parsed.every((v) => typeof v === want) ? (parsed as (number | string)[]) : undefined;
      } catch {
        return undefined;
      }
    }
  }
}

/** Why `value` is not acceptable for the declaration, or undefined when it is. */
export function parameterValueProblem(decl: ParameterYaml, value: unknown): string | undefined {
  const items = decl.type.endsWith('[]') ? (Array.isArray(value) ? value : undefined) : [value];
  if (!items) return `expected a list (${decl.type}), got ${describe(value)}`;
  for (const item of items) {
    const problem = scalarProblem(decl, item);
    if (problem) return problem;
  }
  return undefined;
}

function scalarProblem(decl: ParameterYaml, value: unknown): string | undefined {
  const base = decl.type.replace('[]', '');
  if (base === 'int' || base === 'long') {
    if (typeof value !== 'number' || !Number.isInteger(value)) return `expected a whole number, got ${describe(value)}`;
  } else if (base === 'real') {
    if (typeof value !== 'number') return `expected a number, got ${describe(value)}`;
  } else if (base === 'bool') {
    if (typeof value !== 'boolean') return `expected true or false, got ${describe(value)}`;
  } else if (base === 'timespan') {
    if (typeof value !== 'string' || parseKqlLiteral('timespan', value) === undefined)
      return `expected a KQL timespan like 1h or 30m, got ${describe(value)}`;
  } else if (typeof value !== 'string') {
    return `expected a string, got ${describe(value)}`;
  }
  if (typeof value === 'number') {
    if (decl.minimum !== undefined && value < decl.minimum) return `${value} is below the minimum ${decl.minimum}`;
    if (decl.maximum !== undefined && value > decl.maximum) return `${value} is above the maximum ${decl.maximum}`;
  }
  if (decl.allowed && !decl.allowed.includes(value as string | number | boolean)) {
    return `${describe(value)} is not one of the allowed values ${decl.allowed.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return undefined;
}

function describe(value: unknown): string {
  return Array.isArray(value) ? 'a list' : (JSON.stringify(value) ?? String(value));
}

/** The query with the given let values replaced (spans from the original query, applied back to front). */
export function substituteLets(query: string, lets: readonly LetBinding[], values: ReadonlyMap<string, string>): string {
  let out = query;
  const targets = lets.filter((l) => values.has(l.name)).sort((a, b) => b.valueStart - a.valueStart);
  for (const binding of targets) {
    out = out.slice(0, binding.valueStart) + values.get(binding.name)! + out.slice(binding.valueStart + binding.valueLength);
  }
  return out;
}
