// Where each character of a KQL query is: in a comment, in a string literal, or in the code itself.
// A small scanner over the text (no Kusto.Language needed): `//` comments to the end of the line;
// strings '…' and "…" with backslash escapes, verbatim @'…' @"…" (a doubled quote inside), and
// multi-line ``` … ``` / ~~~ … ~~~ (an h/H prefix obfuscates a string, it does not change it).

export type Region = 'code' | 'comment' | 'string';

/** The region of every UTF-16 code unit of `query`. */
export function kqlRegions(query: string): Region[] {
  const out: Region[] = new Array<Region>(query.length).fill('code');
  const mark = (from: number, to: number, region: Region): void => {
    for (let i = from; i < to && i < query.length; i++) out[i] = region;
  };
  let i = 0;
  while (i < query.length) {
    const c = query[i]!;
    if (c === '/' && query[i + 1] === '/') {
      const end = query.indexOf('\n', i);
      const stop = end < 0 ? query.length : end;
      mark(i, stop, 'comment');
      i = stop;
    } else if ((c === '`' || c === '~') && query.startsWith(c.repeat(3), i)) {
      const end = query.indexOf(c.repeat(3), i + 3);
      const stop = end < 0 ? query.length : end + 3;
      mark(i, stop, 'string');
      i = stop;
    } else if (c === "'" || c === '"' || (c === '@' && (query[i + 1] === "'" || query[i + 1] === '"'))) {
      const verbatim = c === '@';
      const quote = verbatim ? query[i + 1]! : c;
      let j = verbatim ? i + 2 : i + 1;
      while (j < query.length) {
        if (!verbatim && query[j] === '\\') j += 2;
        else if (query[j] === quote && verbatim && query[j + 1] === quote) j += 2;
        else if (query[j] === quote || query[j] === '\n') break;
        else j++;
      }
      const stop = Math.min(j + 1, query.length);
      mark(i, stop, 'string');
      i = stop;
    } else {
      i++;
    }
  }
  return out;
}
