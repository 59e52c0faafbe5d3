// Reads MITRE's STIX data from a github.com/mitre/cti checkout (one bundle per object file) and
// reads/writes the generated scripts/core/data/mitre.ts.
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../core/errors.ts';

export const MITRE_MODULE = 'scripts/core/data/mitre.ts';

/** The attack-pattern and relationship objects of the enterprise and ICS domains. */
export function readStixObjects(checkout: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let folders = 0;
  for (const domain of ['enterprise-attack', 'ics-attack']) {
    for (const kind of ['attack-pattern', 'relationship']) {
      const dir = join(checkout, domain, kind);
      if (!existsSync(dir)) continue;
      folders++;
      for (const name of readdirSync(dir)
        .filter((n) => n.endsWith('.json'))
        .sort()) {
        const bundle = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { objects?: Record<string, unknown>[] };
        out.push(...(bundle.objects ?? []));
      }
    }
  }
  if (folders === 0)
    throw new UsageError(`${checkout}: no enterprise-attack/attack-pattern folder`, 'Pass a checkout of github.com/mitre/cti.');
  return out;
}

export function readMitreModule(root: string): string {
  const file = join(root, MITRE_MODULE);
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

export function writeMitreModule(root: string, text: string): string {
  const file = join(root, MITRE_MODULE);
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
  return MITRE_MODULE;
}
