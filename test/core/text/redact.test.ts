import { describe, expect, it } from 'vitest';
import { redactor } from '../../../scripts/core/text/redact.ts';

const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.payload-part_x.signature-part';

describe('redactor', () => {
  const redact = redactor([TOKEN, undefined, '  ']);

  it.each([
    [`code ${TOKEN}: and again ${TOKEN}`, 'code [redacted]: and again [redacted]'],
    ['"authorization": "Bearer eyJ0eXAi.abc-def_123"', '"authorization": "Bearer [redacted]"'],
    ['Basic dXNlcjpwYXNz', 'Basic [redacted]'],
    ['GET https://user:pa55w0rd@feed.example/ipsum.txt failed', 'GET https://[redacted]@feed.example/ipsum.txt failed'],
    [
      'https://acct.blob.core.windows.net/c/ipsum.txt?sv=2024-01-01&se=2026-09-01&sig=AbC%2Bd%3D',
      'https://acct.blob.core.windows.net/c/ipsum.txt?sv=2024-01-01&se=2026-09-01&sig=[redacted]',
    ],
    ['https://x.example/a?token=t0k&api-version=2025-09-01', 'https://x.example/a?token=[redacted]&api-version=2025-09-01'],
    ['nothing secret here: a@b.example, key=value', 'nothing secret here: a@b.example, key=value'],
    [
      'table Syslog is on the Basic plan; Bearer authentication is required',
      'table Syslog is on the Basic plan; Bearer authentication is required',
    ],
  ])('%s', (text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  it('ignores secrets too short to be tokens (they would garble every output)', () => {
    expect(redactor(['abc'])('abc def')).toBe('abc def');
  });
});
