// The repository's own content passes the same validation the CLI runs.
import { describe, expect, it } from 'vitest';
import { validateContent } from '../scripts/core/validate/validate.ts';
import { loadContent } from '../scripts/io/content.ts';
import { repoRoot } from './support/content.ts';

describe('repository content', () => {
  const content = loadContent({ root: repoRoot });

  it('has the detection rule, the IPsum watchlist and the deployment targets', () => {
    expect(content.rules.map((f) => f.path)).toContain('rules/ipsum-inbound-internet-facing.yaml');
    expect(content.watchlists.map((f) => f.path)).toContain('watchlists/ipsum.yaml');
    expect(content.workspaces?.path).toBe('workspaces.yaml');
  });

  it('validates clean: no errors, no warnings', () => {
    expect(validateContent(content).diagnostics).toEqual([]);
  });
});
