// `mitre-update <cti checkout> --attack-version vN.N` (npm run mitre:update): regenerate
// scripts/core/data/mitre.ts from MITRE's STIX data (enterprise-attack/ and ics-attack/ of a
// github.com/mitre/cti checkout), and report what changed.
import { buildMitreMap, renderMitreModule } from '../core/mitre/generate.ts';
import { UsageError } from '../core/errors.ts';
import { readMitreModule, readStixObjects, writeMitreModule } from '../io/mitre.ts';

export interface MitreUpdateOptions {
  root: string;
  checkout: string;
  attackVersion: string;
}

export interface MitreUpdateResult {
  techniques: number;
  retired: number;
  added: string[];
  removed: string[];
  changed: string[];
  written: string;
}

export async function mitreUpdateCommand(options: MitreUpdateOptions): Promise<MitreUpdateResult> {
  if (!/^v\d+(\.\d+)*$/.test(options.attackVersion))
    throw new UsageError(`--attack-version ${options.attackVersion}: expected vN or vN.N (e.g. v18.1)`);
  const objects = readStixObjects(options.checkout);
  const map = buildMitreMap(objects);
  if (map.tactics.size < 100)
    throw new UsageError(
      `${options.checkout}: only ${map.tactics.size} techniques found; is it a mitre/cti checkout (enterprise-attack/attack-pattern/…)?`,
    );
  const before = readMitreModule(options.root);
  const previous = new Map([...before.matchAll(/^ {2}(T\d{4}): \[([^\]]*)\],$/gm)].map((m) => [m[1]!, m[2]!]));
  const now = new Map([...map.tactics].map(([id, t]) => [id, t.map((x) => `'${x}'`).join(', ')]));
  const written = writeMitreModule(
    options.root,
    renderMitreModule(map, options.attackVersion, `github.com/mitre/cti enterprise-attack and ics-attack, ATT&CK ${options.attackVersion}`),
  );
  return {
    techniques: map.tactics.size,
    retired: map.retired.size,
    added: [...now.keys()].filter((k) => !previous.has(k)),
    removed: [...previous.keys()].filter((k) => !now.has(k)),
    changed: [...now].filter(([k, v]) => previous.has(k) && previous.get(k) !== v).map(([k, v]) => `${k}: ${previous.get(k)} → ${v}`),
    written,
  };
}
