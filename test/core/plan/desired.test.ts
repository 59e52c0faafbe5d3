// The desired state of one workspace: compiled bodies with its overrides, and the mark of each.
import { describe, expect, it } from 'vitest';
import { sentinelScope, type Workspace } from '../../../scripts/core/model/workspaces.ts';
import { desiredState, ruleParentId, watchlistParentId } from '../../../scripts/core/plan/desired.ts';
import { parsedRules } from '../../support/build.ts';
import { fixture, replaceOnce, validateFiles } from '../../support/content.ts';

const ws: Workspace = {
  environment: 'dev',
  name: 'dev-one',
  subscriptionId: 'sub',
  resourceGroup: 'rg',
  workspace: 'law',
  armEndpoint: 'https://x',
  apiVersion: '2025-09-01',
  rules: {},
  watchlists: {},
};
const scope = sentinelScope(ws);
const RULE_ID = '6f1c2a57-0b8e-4a43-9d6e-2c1f0e5b7a10';

describe('desiredState', () => {
  it('parent ids are the full ARM ids of the rule and the watchlist', () => {
    expect(ruleParentId(ws, 'abc')).toBe(
      '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law/providers/Microsoft.SecurityInsights/alertRules/abc',
    );
    expect(watchlistParentId(ws, 'ipsum')).toBe(
      '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law/providers/Microsoft.SecurityInsights/watchlists/ipsum',
    );
  });

  it('one rule and one watchlist: bodies, mark names and marks for this workspace and repository', () => {
    const desired = desiredState(parsedRules({ rule: fixture.rule }), ws, 'my-repo');
    expect(desired.diagnostics).toStrictEqual([]);
    expect(desired.rules).toHaveLength(1);
    const [rule] = desired.rules;
    expect(rule).toMatchObject({
      id: RULE_ID,
      file: 'rules/rule.yaml',
      displayName: 'Fixture rule reading the ipsum watchlist',
      markName: `analyticsrule-${RULE_ID}`,
    });
    expect(rule!.body.kind).toBe('Scheduled');
    expect(rule!.mark.properties).toMatchObject({
      kind: 'AnalyticsRule',
      parentId: `${scope}/alertRules/${RULE_ID}`,
      source: { kind: 'SourceRepository', name: 'my-repo', sourceId: 'my-repo' },
    });
    expect(desired.watchlists).toStrictEqual([
      {
        alias: 'ipsum',
        file: 'watchlists/ipsum.yaml',
        body: {
          properties: {
            displayName: 'IPsum fixture',
            provider: 'tests',
            source: 'ipsum.csv',
            description: 'Fixture watchlist.',
            itemsSearchKey: 'IPAddress',
          },
        },
        markName: 'watchlist-ipsum',
        mark: {
          properties: {
            kind: 'Watchlist',
            contentId: 'ipsum',
            parentId: `${scope}/watchlists/ipsum`,
            source: { kind: 'SourceRepository', name: 'my-repo', sourceId: 'my-repo' },
          },
        },
        header: 'IPAddress,Score\n',
      },
    ]);
  });

  it("a watchlist with a bootstrap CSV carries it; the workspace's api-version and overrides reach the body", () => {
    const watchlist = replaceOnce(fixture.watchlist, 'feed:', 'bootstrapCsv: watchlists/ipsum.csv\nfeed:');
    const result = validateFiles({ rules: { rule: fixture.rule }, watchlists: { ipsum: watchlist } });
    const over: Workspace = { ...ws, rules: { rule: { enabled: false } } };
    const desired = desiredState(result.parsed, over, 'r');
    expect(desired.watchlists[0]!.bootstrapCsv).toBe('watchlists/ipsum.csv');
    expect(desired.rules[0]!.body.properties.enabled).toBe(false);
  });
});
