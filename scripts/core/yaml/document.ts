// YAML with source positions. js-yaml's event parser gives byte offsets for every node; we keep a
// JSON-pointer → offsets index so that any later layer (ajv instance paths, KQL diagnostics inside a
// block scalar) can point at the exact line and column of the YAML text.
import {
  CORE_SCHEMA,
  EVENT_ID,
  SCALAR_STYLE,
  YAMLException,
  constructFromEvents,
  getScalarValue,
  parseEvents,
  type Event,
  type ScalarEvent,
} from 'js-yaml';
import type { Diagnostic, Position, Severity } from '../diagnostics.ts';
import { LineIndex } from './line-index.ts';
import { scalarOffset } from './scalar-offset.ts';

export type PathSegment = string | number;

interface NodeOffsets {
  /** Offset of the mapping key, for entries of a mapping. */
  key?: number;
  /** Offset where the value starts (the opening quote for quoted scalars). */
  value: number;
  /** The scalar event, for string values, so offsets inside the string can be mapped. */
  scalar?: ScalarEvent;
}

export class YamlDocument {
  readonly file: string;
  readonly text: string;
  readonly value: unknown;
  private readonly nodes: ReadonlyMap<string, NodeOffsets>;
  private readonly lines: LineIndex;

  constructor(file: string, text: string, value: unknown, nodes: ReadonlyMap<string, NodeOffsets>) {
    this.file = file;
    this.text = text;
    this.value = value;
    this.nodes = nodes;
    this.lines = new LineIndex(text);
  }

  /**
   * Position of the node at `path`, or of its nearest ancestor that exists (a missing property is
   * reported where its parent is). `key` points at the mapping key, `value` at the value.
   */
  locate(path: readonly PathSegment[] | string, where: 'key' | 'value' = 'value'): Position {
    const node = this.nearest(path);
    if (!node) return { line: 1, column: 1 };
    const offset = where === 'key' && node.key !== undefined ? node.key : node.value;
    return this.lines.position(offset);
  }

  /** A diagnostic in this file at the node at `path` (see locate). */
  diagnostic(
    path: readonly PathSegment[] | string,
    code: string,
    severity: Severity,
    message: string,
    hint?: string,
    where: 'key' | 'value' = 'value',
  ): Diagnostic {
    const d: Diagnostic = { code, severity, message, file: this.file, ...this.locate(path, where) };
    if (hint) d.hint = hint;
    return d;
  }

  /** Position of character `index` of the string scalar at `path` (e.g. a KQL diagnostic). */
  locateInString(path: readonly PathSegment[] | string, index: number): Position {
    const pointer = typeof path === 'string' ? path : toPointer(path);
    const node = this.nodes.get(pointer);
    if (!node?.scalar) return this.locate(path);
    return this.lines.position(scalarOffset(this.text, node.scalar, index));
  }

  private nearest(path: readonly PathSegment[] | string): NodeOffsets | undefined {
    let segments = typeof path === 'string' ? fromPointer(path) : [...path];
    for (;;) {
      const node = this.nodes.get(toPointer(segments));
      if (node || segments.length === 0) return node;
      segments = segments.slice(0, -1);
    }
  }
}

export type ParseResult = { ok: true; document: YamlDocument } | { ok: false; diagnostics: Diagnostic[] };

/** Parse one YAML document with the core schema (no custom tags, no aliases, duplicate keys fail). */
export function parseYaml(file: string, text: string): ParseResult {
  let events: Event[];
  let value: unknown;
  try {
    events = parseEvents(text, { filename: file });
    const documents = constructFromEvents(events, { source: text, schema: CORE_SCHEMA, maxAliases: 0, filename: file });
    if (documents.length !== 1) {
      return failure(
        file,
        'yaml.document-count',
        `expected exactly one YAML document, found ${documents.length}`,
        1,
        1,
        documents.length === 0
          ? 'The file is empty: add the definition or delete the file.'
          : 'Split the file at `---`: one rule or watchlist per file.',
      );
    }
    value = documents[0];
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const line = (error.mark?.line ?? 0) + 1;
    const column = (error.mark?.column ?? 0) + 1;
    const [code, hint] = classify(error.reason);
    return failure(file, code, error.reason, line, column, hint);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return failure(
      file,
      'yaml.not-a-mapping',
      'the document must be a mapping of keys to values',
      1,
      1,
      'Start the file with `key: value` lines, as in the existing files.',
    );
  }
  return { ok: true, document: new YamlDocument(file, text, value, indexNodes(events, text)) };
}

function classify(reason: string): [code: string, hint: string] {
  if (/duplicate|duplicated/i.test(reason)) {
    return ['yaml.duplicate-key', 'Remove one of the two keys: YAML keeps only the last, which hides the first.'];
  }
  if (/tag/i.test(reason)) {
    return ['yaml.tag', 'Custom tags are not allowed: write the value as a plain string, number or boolean.'];
  }
  if (/alias/i.test(reason)) {
    return ['yaml.alias', 'Anchors and aliases are not allowed: write the value out.'];
  }
  return ['yaml.syntax', 'Fix the YAML syntax at this position (indentation, quoting, a missing `:`).'];
}

function failure(file: string, code: string, message: string, line: number, column: number, hint?: string): ParseResult {
  const diagnostic: Diagnostic = { code, severity: 'error', message, file, line, column };
  if (hint) diagnostic.hint = hint;
  return { ok: false, diagnostics: [diagnostic] };
}

type Frame = { kind: 'map'; pointer: string; key: string | undefined; keyOffset: number } | { kind: 'seq'; pointer: string; index: number };

function indexNodes(events: readonly Event[], source: string): Map<string, NodeOffsets> {
  const nodes = new Map<string, NodeOffsets>();
  const stack: Frame[] = [];

  // Where does the next node go? Returns its pointer and key offset, or undefined for a mapping key.
  const place = (): { pointer: string; key?: number } | undefined => {
    const top = stack[stack.length - 1];
    if (!top) return { pointer: '' };
    if (top.kind === 'seq') return { pointer: `${top.pointer}/${top.index++}` };
    if (top.key === undefined) return undefined;
    const result = { pointer: `${top.pointer}/${escape(top.key)}`, key: top.keyOffset };
    top.key = undefined;
    return result;
  };

  for (const event of events) {
    switch (event.type) {
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        const at = place() ?? { pointer: '' };
        nodes.set(at.pointer, { key: at.key, value: event.start });
        stack.push(
          event.type === EVENT_ID.MAPPING
            ? { kind: 'map', pointer: at.pointer, key: undefined, keyOffset: 0 }
            : { kind: 'seq', pointer: at.pointer, index: 0 },
        );
        break;
      }
      case EVENT_ID.SCALAR: {
        const at = place();
        if (at === undefined) {
          // A mapping key: remember it until its value arrives.
          const top = stack[stack.length - 1] as Extract<Frame, { kind: 'map' }>;
          top.key = getScalarValue(source, event);
          top.keyOffset = event.valueStart;
          break;
        }
        if (event.valueStart < 0) {
          // An empty value (`key:` with nothing after it): point at its key.
          nodes.set(at.pointer, { key: at.key, value: at.key ?? 0 });
          break;
        }
        const quoted = event.style === SCALAR_STYLE.SINGLE_QUOTED || event.style === SCALAR_STYLE.DOUBLE_QUOTED;
        nodes.set(at.pointer, { key: at.key, value: quoted ? event.valueStart - 1 : event.valueStart, scalar: event });
        break;
      }
      case EVENT_ID.ALIAS:
        place();
        break;
      case EVENT_ID.POP:
        stack.pop();
        break;
      default:
        break;
    }
  }
  return nodes;
}

export function toPointer(path: readonly PathSegment[]): string {
  return path.map((segment) => `/${escape(String(segment))}`).join('');
}

export function fromPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function escape(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
