import type { PathSegment } from '../yaml/document.ts';

/** `entityMappings[0].fieldMappings[1].columnName`: how messages name a place in a file. */
export function describePath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    const text = String(segment);
    if (/^\d+$/.test(text)) out += `[${text}]`;
    else out += out ? `.${text}` : text;
  }
  return out;
}
