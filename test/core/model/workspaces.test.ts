// workspaces.yaml → deployment targets: defaults applied, an unknown environment refused exactly.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../scripts/core/errors.ts';
import { environmentNames, sentinelScope, workspacesOf } from '../../../scripts/core/model/workspaces.ts';
import type { WorkspacesYaml } from '../../../scripts/core/model/yaml-types.ts';

const entry = { name: 'dev-we', subscriptionId: '0000AAAA-0000-0000-0000-000000000000', resourceGroup: 'rg-Dev', workspace: 'law-dev' };
const config = {
  repository: 'org/repo',
  environments: {
    prod: [
      {
        ...entry,
        name: 'prod-we',
        armEndpoint: 'https://management.usgovcloudapi.net//',
        apiVersion: '2025-07-01-preview',
        rules: { r: { enabled: false } },
        watchlists: { ipsum: { sync: false } },
      },
    ],
    dev: [entry, { ...entry, name: 'dev-ne' }],
  },
} as unknown as WorkspacesYaml;

describe('workspacesOf', () => {
  it('applies the defaults: ARM endpoint, api-version, no overrides; the subscription id in lower case', () => {
    expect(workspacesOf(config, 'dev')[0]).toStrictEqual({
      environment: 'dev',
      name: 'dev-we',
      subscriptionId: '0000aaaa-0000-0000-0000-000000000000',
      resourceGroup: 'rg-Dev',
      workspace: 'law-dev',
      armEndpoint: 'https://management.azure.com',
      apiVersion: '2025-09-01',
      rules: {},
      watchlists: {},
    });
    expect(workspacesOf(config, 'dev').map((w) => w.name)).toEqual(['dev-we', 'dev-ne']);
  });

  it('keeps what the file sets; trailing slashes of the endpoint go', () => {
    expect(workspacesOf(config, 'prod')[0]).toMatchObject({
      armEndpoint: 'https://management.usgovcloudapi.net',
      apiVersion: '2025-07-01-preview',
      rules: { r: { enabled: false } },
      watchlists: { ipsum: { sync: false } },
    });
  });

  it('an unknown environment is a usage error naming the file and the environments, sorted', () => {
    expect(() => workspacesOf(config, 'stage')).toThrow(
      new UsageError('--env stage: no such environment in workspaces.yaml', 'Environments defined there: dev, prod.'),
    );
    expect(() => workspacesOf({ environments: {} } as unknown as WorkspacesYaml, 'dev', 'other.yaml')).toThrow(
      new UsageError('--env dev: no such environment in other.yaml', 'Environments defined there: (none).'),
    );
    expect(environmentNames(config)).toEqual(['dev', 'prod']);
  });

  it("the Sentinel scope is the workspace's SecurityInsights provider", () => {
    expect(sentinelScope(workspacesOf(config, 'dev')[0]!)).toBe(
      '/subscriptions/0000aaaa-0000-0000-0000-000000000000/resourceGroups/rg-Dev/providers/Microsoft.OperationalInsights/workspaces/law-dev/providers/Microsoft.SecurityInsights',
    );
  });
});
