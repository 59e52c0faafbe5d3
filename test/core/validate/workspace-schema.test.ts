// Rules against each workspace's snapshot, pure: nothing to say where a workspace defines what a rule
// reads as the repository does; a difference is reported once per workspace, naming it, with the same
// position for every workspace that shares the difference.
import { describe, expect, it } from 'vitest';
import { workspacesOf } from '../../../scripts/core/model/workspaces.ts';
import type { WorkspacesYaml } from '../../../scripts/core/model/yaml-types.ts';
import type { WorkspaceSnapshot } from '../../../scripts/core/schema/snapshot.ts';
import { workspaceSchemaDiagnostics } from '../../../scripts/core/validate/workspace-schema.ts';
import { fixture, fixtureWith, positionOf, repoTables, replaceOnce, validateFiles } from '../../support/content.ts';

const workspaces = replaceOnce(
  fixture.workspaces,
  '    - name: ws-one\n',
  `    - name: ws-two
      subscriptionId: 22222222-2222-2222-2222-222222222222
      resourceGroup: rg-two
      workspace: law-two
    - name: ws-three
      subscriptionId: 33333333-3333-3333-3333-333333333333
      resourceGroup: rg-three
      workspace: law-three
    - name: ws-one\n`,
);

function check(
  columns: (
    name: string,
  ) =>
    | { name: string; type: 'string' | 'int' | 'datetime' | 'dynamic' | 'bool' | 'long' | 'real' | 'guid' | 'timespan' | 'decimal' }[]
    | undefined,
) {
  const result = validateFiles(fixtureWith({ workspaces }));
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const ws = workspacesOf(result.parsed.workspaces!.value as WorkspacesYaml, 'test');
  const snapshots = ws.map((w) => {
    const snapshot: WorkspaceSnapshot = {
      workspace: w.name,
      environment: 'test',
      source: { resourceGroup: w.resourceGroup, workspace: w.workspace },
      functions: [],
      watchlists: [],
      tables: repoTables().map((t) => ({ name: t.name, columns: columns(w.name) ?? t.columns })),
    };
    return { path: `schemas/workspaces/${w.name}.json`, name: w.name, snapshot };
  });
  return workspaceSchemaDiagnostics({
    parsed: result.parsed,
    diagnostics: result.diagnostics,
    workspaces: ws,
    snapshots,
    repoTables: repoTables(),
    repoFunctions: [],
  });
}

describe('workspaceSchemaDiagnostics', () => {
  it('workspaces that define every table as the repository does: nothing', () => {
    expect(check(() => undefined)).toEqual([]);
  });

  it('two workspaces whose DeviceNetworkEvents lacks LocalPort: the same error in each, naming it; the third is clean', () => {
    const without = repoTables()
      .find((t) => t.name === 'DeviceNetworkEvents')!
      .columns.filter((c) => c.name !== 'LocalPort');
    const diagnostics = check((name) => (name === 'ws-one' ? undefined : without)).filter(
      (d) => d.message.includes('DeviceNetworkEvents') || d.code === 'kql.workspace',
    );
    const where = positionOf(fixture.rule, 'LocalPort !in');
    const project = positionOf(fixture.rule, 'RemoteIP, LocalPort', 'RemoteIP, '.length);
    expect(diagnostics.map((d) => [d.code, d.line, d.column, /workspace (ws-\w+)/.exec(d.message)?.[1]])).toEqual([
      ['kql.workspace', where.line, where.column, 'ws-two'],
      ['kql.workspace', project.line, project.column, 'ws-two'],
      ['kql.workspace', where.line, where.column, 'ws-three'],
      ['kql.workspace', project.line, project.column, 'ws-three'],
    ]);
  });
});
