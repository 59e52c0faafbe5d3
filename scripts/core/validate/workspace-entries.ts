// The workspaces of workspaces.yaml as the cross-file and KQL layers walk them. Every layer runs
// even when the schema does not hold, so entries are read defensively; an entry that is not a
// mapping is skipped (the schema layer reports it) and the others keep their index.
import { asArray, asRecord, asString } from '../guards.ts';
import type { PathSegment, YamlDocument } from '../yaml/document.ts';

export interface WorkspaceEntry {
  env: string;
  /** Position in the environment's list. */
  index: number;
  ws: Record<string, unknown>;
  name: string | undefined;
  /** YAML path of the entry: environments.<env>[index]. */
  path: PathSegment[];
}

/** Every workspace of every environment, in file order. */
export function workspaceEntries(workspaces: YamlDocument | undefined): WorkspaceEntry[] {
  const out: WorkspaceEntry[] = [];
  for (const [env, list] of Object.entries(asRecord(asRecord(workspaces?.value)?.environments) ?? {})) {
    asArray(list).forEach((raw, index) => {
      const ws = asRecord(raw);
      if (ws) out.push({ env, index, ws, name: asString(ws.name), path: ['environments', env, index] });
    });
  }
  return out;
}

/** The entry's `rules.<slug>.parameters` mapping, when it has one. */
export function parameterOverrides(entry: WorkspaceEntry, slug: string): Record<string, unknown> | undefined {
  return asRecord(asRecord(asRecord(entry.ws.rules)?.[slug])?.parameters);
}
