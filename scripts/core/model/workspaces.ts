// Deployment targets from workspaces.yaml, with defaults applied (ARM endpoint, api-version).
import { UsageError } from '../errors.ts';
import { DEFAULT_API_VERSION } from '../compile/api-versions.ts';
import type { RuleOverrideYaml, WorkspaceYaml, WorkspacesYaml } from './yaml-types.ts';

const DEFAULT_ARM_ENDPOINT = 'https://management.azure.com';

export interface Workspace {
  environment: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  workspace: string;
  armEndpoint: string;
  apiVersion: string;
  /** Overrides keyed by rule slug. */
  rules: Record<string, RuleOverrideYaml>;
  watchlists: Record<string, { sync?: boolean }>;
}

export function environmentNames(config: WorkspacesYaml): string[] {
  return Object.keys(config.environments).sort();
}

/** The workspaces of one environment, in file order. */
export function workspacesOf(config: WorkspacesYaml, environment: string, configFile = 'workspaces.yaml'): Workspace[] {
  const list = config.environments[environment];
  if (!list) {
    throw new UsageError(
      `--env ${environment}: no such environment in ${configFile}`,
      `Environments defined there: ${environmentNames(config).join(', ') || '(none)'}.`,
    );
  }
  return list.map((ws) => toWorkspace(environment, ws));
}

function toWorkspace(environment: string, ws: WorkspaceYaml): Workspace {
  return {
    environment,
    name: ws.name,
    subscriptionId: ws.subscriptionId.toLowerCase(),
    resourceGroup: ws.resourceGroup,
    workspace: ws.workspace,
    armEndpoint: (ws.armEndpoint ?? DEFAULT_ARM_ENDPOINT).replace(/\/+$/, ''),
    apiVersion: ws.apiVersion ?? DEFAULT_API_VERSION,
    rules: ws.rules ?? {},
    watchlists: ws.watchlists ?? {},
  };
}

/** ARM id of the Sentinel (SecurityInsights) scope of a workspace; resource paths hang below it. */
export function sentinelScope(ws: Pick<Workspace, 'subscriptionId' | 'resourceGroup' | 'workspace'>): string {
  return `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${ws.workspace}/providers/Microsoft.SecurityInsights`;
}
