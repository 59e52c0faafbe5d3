// Map an index in a decoded YAML string back to an offset in the source text, so that a KQL
// diagnostic at character N of a query lands on the right line and column of the YAML file.
import { SCALAR_STYLE, getScalarValue, type ScalarEvent } from 'js-yaml';

export function scalarOffset(source: string, scalar: ScalarEvent, index: number): number {
  if (scalar.style === SCALAR_STYLE.LITERAL_BLOCK) return literalOffset(source, scalar, index);
  return alignedOffset(source, scalar, index);
}

// A literal block keeps its lines one for one: value line k is source line k of the block with the
// block's indentation removed.
function literalOffset(source: string, scalar: ScalarEvent, index: number): number {
  let lineStart = scalar.valueStart;
  let remaining = index;
  for (;;) {
    const lineEnd = source.indexOf('\n', lineStart);
    // A CRLF file: YAML decodes the line break to one \n, so the \r is not a value character.
    const contentEnd = lineEnd > 0 && source[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
    const contentStart = Math.min(lineStart + scalar.indent, contentEnd === -1 ? source.length : contentEnd);
    const contentLength = (contentEnd === -1 ? scalar.valueEnd : contentEnd) - contentStart;
    if (remaining <= contentLength || lineEnd === -1 || lineEnd + 1 >= scalar.valueEnd) {
      return Math.min(contentStart + remaining, scalar.valueEnd);
    }
    remaining -= contentLength + 1; // the line's characters and its newline
    lineStart = lineEnd + 1;
  }
}

// Every other style: walk the decoded value and the source together, skipping what decoding removed
// (indentation, folded line breaks, escapes, doubled single quotes).
function alignedOffset(source: string, scalar: ScalarEvent, index: number): number {
  const value = getScalarValue(source, scalar);
  let p = scalar.valueStart;
  let i = 0;
  const end = scalar.valueEnd;
  while (i < index && p < end) {
    const s = source[p]!;
    const v = value[i];
    if (s === v) {
      i++;
      p++;
    } else if (scalar.style === SCALAR_STYLE.DOUBLE_QUOTED && s === '\\') {
      const next = source[p + 1];
      if (next === '\n' || next === '\r') {
        p = skipBlank(source, p + 1, end); // escaped line break: no value character
      } else {
        p += next === 'x' ? 4 : next === 'u' ? 6 : next === 'U' ? 10 : 2;
        i++;
      }
    } else if (scalar.style === SCALAR_STYLE.SINGLE_QUOTED && s === "'" && source[p + 1] === "'") {
      p += 2;
      i++;
    } else if (s === '\n' || s === '\r') {
      p = skipBlank(source, p, end);
      if (v === ' ') i++; // a folded line break became one space
    } else {
      p++; // indentation or trailing blanks that decoding dropped
    }
  }
  return p;
}

function skipBlank(source: string, from: number, end: number): number {
  let p = from;
  while (p < end && /[\r\n \t]/.test(source[p]!)) {
    if (source[p] === '\n') {
      p++;
      while (p < end && (source[p] === ' ' || source[p] === '\t')) p++;
      return p;
    }
    p++;
  }
  return p;
}
