import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../scripts/core/diagnostics.ts';
import { annotation, escapeData, escapeProperty, renderAnnotations } from '../../scripts/report/github.ts';

describe('GitHub workflow-command escaping', () => {
  it('escapes %, CR and LF in data', () => {
    expect(escapeData('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext: a,b');
  });

  it('escapes %, CR, LF, : and , in properties', () => {
    expect(escapeProperty('C:\\rules\\a,b%.yaml\n')).toBe('C%3A\\rules\\a%2Cb%25.yaml%0A');
  });

  it('renders an error annotation byte for byte', () => {
    const d: Diagnostic = {
      code: 'kql.missing-column',
      severity: 'error',
      file: 'rules/odd, name: 100%.yaml',
      line: 12,
      column: 7,
      message: "entity mapping IP names column 'IpAddress', which the query does not output",
      hint: "Did you mean 'IPAddress'?\r\nsecond line: 50%",
    };
    expect(annotation(d)).toBe(
      '::error file=rules/odd%2C name%3A 100%25.yaml,line=12,col=7,title=kql.missing-column::' +
        "entity mapping IP names column 'IpAddress', which the query does not output%0ADid you mean 'IPAddress'?%0D%0Asecond line: 50%25",
    );
  });

  it('renders warnings and end positions, one line each', () => {
    const d: Diagnostic = {
      code: 'rule.grouping-ignored',
      severity: 'warning',
      file: 'a.yaml',
      line: 1,
      column: 2,
      endLine: 3,
      endColumn: 4,
      message: 'm',
    };
    expect(renderAnnotations([d, d])).toBe(
      '::warning file=a.yaml,line=1,col=2,endLine=3,endColumn=4,title=rule.grouping-ignored::m\n'.repeat(2),
    );
  });
});
