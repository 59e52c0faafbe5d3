// A small evaluator of GitHub Actions expressions (`${{ … }}` and `if:`), enough to run a workflow's
// shell steps locally with the env and conditions the runner would compute: literals, context paths
// (case-insensitive keys, `[ ]` and `.*`), ! == != < <= > >= && || and ( ), the documented functions.
// Semantics follow GitHub's: && and || return an operand, == compares strings case-insensitively and
// coerces mixed types to numbers.

export type Value = null | boolean | number | string | Value[] | { [key: string]: Value };
export type Contexts = Record<string, Value>;
export type JobStatus = 'success' | 'failure' | 'cancelled';

export interface EvalOptions {
  /** The job's status so far, for success() / failure() / cancelled(). */
  status?: JobStatus;
}

type Token = { kind: 'num' | 'str' | 'id' | 'op'; text: string; value?: Value };

const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')', '[', ']', '.', ',', '*'];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "'") {
      let text = '';
      i++;
      for (;;) {
        if (i >= source.length) throw new Error(`unterminated string in expression: ${source}`);
        if (source[i] === "'" && source[i + 1] === "'") ((text += "'"), (i += 2));
        else if (source[i] === "'") break;
        else text += source[i++];
      }
      i++;
      tokens.push({ kind: 'str', text, value: text });
    } else if (/[0-9]/.test(ch) || (ch === '-' && /[0-9]/.test(source[i + 1] ?? ''))) {
      const match = /^-?(0x[0-9a-f]+|[0-9]+(\.[0-9]+)?(e[+-]?[0-9]+)?)/i.exec(source.slice(i))!;
      tokens.push({ kind: 'num', text: match[0], value: Number(match[0]) });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(source.slice(i))!;
      tokens.push({ kind: 'id', text: match[0] });
      i += match[0].length;
    } else {
      const op = OPERATORS.find((o) => source.startsWith(o, i));
      if (!op) throw new Error(`unexpected '${ch}' in expression: ${source}`);
      tokens.push({ kind: 'op', text: op });
      i += op.length;
    }
  }
  return tokens;
}

export function truthy(value: Value | undefined): boolean {
  return !(value === null || value === undefined || value === false || value === 0 || value === '' || Number.isNaN(value));
}

function toNumber(value: Value): number {
  if (value === null) return 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value.trim() === '' ? 0 : Number(value);
  return NaN;
}

export function toText(value: Value | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value, null, 2);
  return String(value);
}

function compare(a: Value, b: Value): number {
  if (typeof a === 'string' && typeof b === 'string') {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    return x === y ? 0 : x < y ? -1 : 1;
  }
  if (typeof a === 'object' && a !== null && a === b) return 0;
  const x = toNumber(a);
  const y = toNumber(b);
  return Number.isNaN(x) || Number.isNaN(y) ? NaN : x - y;
}

function property(target: Value, key: string): Value {
  if (target === null || typeof target !== 'object' || Array.isArray(target)) return null;
  const found = Object.keys(target).find((k) => k.toLowerCase() === key.toLowerCase());
  return found === undefined ? null : (target[found] ?? null);
}

function format(template: string, args: Value[]): string {
  return template.replace(/\{\{|\}\}|\{(\d+)\}/g, (m, index?: string) => (index === undefined ? m[0]! : toText(args[Number(index)])));
}

class Parser {
  private pos = 0;
  private readonly tokens: Token[];
  private readonly contexts: Contexts;
  private readonly options: EvalOptions;
  private readonly source: string;
  constructor(tokens: Token[], contexts: Contexts, options: EvalOptions, source: string) {
    this.tokens = tokens;
    this.contexts = contexts;
    this.options = options;
    this.source = source;
  }

  parse(): Value {
    const value = this.or();
    if (this.pos < this.tokens.length) throw new Error(`unexpected '${this.tokens[this.pos]!.text}' in expression: ${this.source}`);
    return value;
  }

  private peek(text: string): boolean {
    const token = this.tokens[this.pos];
    return token?.kind === 'op' && token.text === text;
  }

  private expect(text: string): void {
    if (!this.peek(text)) throw new Error(`expected '${text}' in expression: ${this.source}`);
    this.pos++;
  }

  private or(): Value {
    let left = this.and();
    while (this.peek('||')) {
      this.pos++;
      const right = this.and();
      left = truthy(left) ? left : right;
    }
    return left;
  }

  private and(): Value {
    let left = this.equality();
    while (this.peek('&&')) {
      this.pos++;
      const right = this.equality();
      left = truthy(left) ? right : left;
    }
    return left;
  }

  private equality(): Value {
    let left = this.relation();
    while (this.peek('==') || this.peek('!=')) {
      const op = this.tokens[this.pos++]!.text;
      const equal = compare(left, this.relation()) === 0;
      left = op === '==' ? equal : !equal;
    }
    return left;
  }

  private relation(): Value {
    let left = this.unary();
    for (;;) {
      const op = (['<=', '>=', '<', '>'] as const).find((o) => this.peek(o));
      if (!op) return left;
      this.pos++;
      const c = compare(left, this.unary());
      left = Number.isNaN(c) ? false : op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
    }
  }

  private unary(): Value {
    if (this.peek('!')) {
      this.pos++;
      return !truthy(this.unary());
    }
    return this.postfix(this.primary());
  }

  private primary(): Value {
    const token = this.tokens[this.pos++];
    if (!token) throw new Error(`unexpected end of expression: ${this.source}`);
    if (token.kind === 'num' || token.kind === 'str') return token.value ?? null;
    if (token.kind === 'op' && token.text === '(') {
      const value = this.or();
      this.expect(')');
      return value;
    }
    if (token.kind !== 'id') throw new Error(`unexpected '${token.text}' in expression: ${this.source}`);
    const word = token.text.toLowerCase();
    if (word === 'true' || word === 'false') return word === 'true';
    if (word === 'null') return null;
    if (this.peek('(')) return this.call(word);
    return property(this.contexts as Value, token.text);
  }

  private postfix(value: Value): Value {
    for (;;) {
      if (this.peek('.')) {
        this.pos++;
        if (this.peek('*')) {
          this.pos++;
          value = value && typeof value === 'object' ? Object.values(value) : [];
          continue;
        }
        const name = this.tokens[this.pos++];
        if (name?.kind !== 'id') throw new Error(`expected a property name in expression: ${this.source}`);
        value = Array.isArray(value) ? value.map((v) => property(v, name.text)) : property(value, name.text);
      } else if (this.peek('[')) {
        this.pos++;
        const key = this.or();
        this.expect(']');
        value = Array.isArray(value) && typeof key === 'number' ? (value[key] ?? null) : property(value, toText(key));
      } else {
        return value;
      }
    }
  }

  private call(name: string): Value {
    this.expect('(');
    const args: Value[] = [];
    while (!this.peek(')')) {
      args.push(this.or());
      if (!this.peek(')')) this.expect(',');
    }
    this.expect(')');
    const status = this.options.status ?? 'success';
    const [a = null, b = null] = args;
    switch (name) {
      case 'success':
        return status === 'success';
      case 'failure':
        return status === 'failure';
      case 'cancelled':
        return status === 'cancelled';
      case 'always':
        return true;
      case 'contains':
        return Array.isArray(a) ? a.some((x) => compare(x, b) === 0) : toText(a).toLowerCase().includes(toText(b).toLowerCase());
      case 'startswith':
        return toText(a).toLowerCase().startsWith(toText(b).toLowerCase());
      case 'endswith':
        return toText(a).toLowerCase().endsWith(toText(b).toLowerCase());
      case 'format':
        return format(toText(a), args.slice(1));
      case 'join':
        return Array.isArray(a) ? a.map(toText).join(b === null ? ',' : toText(b)) : toText(a);
      case 'tojson':
        return JSON.stringify(a, null, 2);
      case 'fromjson':
        return JSON.parse(toText(a)) as Value;
      case 'hashfiles':
        return '';
      default:
        throw new Error(`unknown function ${name}() in expression: ${this.source}`);
    }
  }
}

/** Evaluates one expression (the text inside `${{ }}`, or an `if:` without the braces). */
export function evaluate(expression: string, contexts: Contexts, options: EvalOptions = {}): Value {
  return new Parser(tokenize(expression), contexts, options, expression).parse();
}

/** Replaces every `${{ … }}` in a text with its value as the runner would print it. */
export function interpolate(text: string, contexts: Contexts, options: EvalOptions = {}): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, inner: string) => toText(evaluate(inner, contexts, options)));
}

/** The expression of a value that is one whole `${{ … }}` (surrounding spaces allowed), else undefined. */
export function unwrapExpression(text: string): string | undefined {
  return /^\$\{\{([\s\S]*)\}\}$/.exec(text.trim())?.[1];
}

/** A step's or job's `if:`: braces optional; without a status function it means `success() && (…)`. */
export function condition(source: string | boolean | undefined, contexts: Contexts, options: EvalOptions = {}): boolean {
  if (source === undefined) return (options.status ?? 'success') === 'success';
  if (typeof source === 'boolean') return source && (options.status ?? 'success') === 'success';
  const inner = unwrapExpression(source) ?? source.trim();
  const expression = /\b(success|failure|cancelled|always)\s*\(/.test(inner) ? inner : `success() && (${inner})`;
  return truthy(evaluate(expression, contexts, options));
}
