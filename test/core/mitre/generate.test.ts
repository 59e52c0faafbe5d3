// The ATT&CK map generator on STIX fixtures written here, and the committed map.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../scripts/core/errors.ts';
import { ATTACK_VERSION, RETIRED_TECHNIQUES, TECHNIQUE_TACTICS } from '../../../scripts/core/data/mitre.ts';
import { buildMitreMap, renderMitreModule } from '../../../scripts/core/mitre/generate.ts';
import { readStixObjects } from '../../../scripts/io/mitre.ts';

const pattern = (stixId: string, id: string, phases: [string, string][], extra: Record<string, unknown> = {}) => ({
  type: 'attack-pattern',
  id: stixId,
  external_references: [{ source_name: 'mitre-attack', external_id: id }],
  kill_chain_phases: phases.map(([kill_chain_name, phase_name]) => ({ kill_chain_name, phase_name })),
  ...extra,
});
const objects = [
  pattern('ap--1', 'T1078', [
    ['mitre-attack', 'initial-access'],
    ['mitre-attack', 'persistence'],
  ]),
  pattern('ap--2', 'T1078.004', [['mitre-attack', 'defense-evasion']]),
  pattern('ap--3', 'T1659', [
    ['mitre-attack', 'initial-access'],
    ['mitre-attack', 'command-and-control'],
  ]),
  pattern('ap--4', 'T0820', [['mitre-ics-attack', 'evasion']]),
  pattern('ap--5', 'T1035', [['mitre-attack', 'execution']], { revoked: true }),
  pattern('ap--6', 'T1569.002', [['mitre-attack', 'execution']]),
  pattern('ap--7', 'T1066', [['mitre-attack', 'defense-evasion']], { x_mitre_deprecated: true }),
  { type: 'relationship', relationship_type: 'revoked-by', source_ref: 'ap--5', target_ref: 'ap--6' },
  { type: 'relationship', relationship_type: 'uses', source_ref: 'x', target_ref: 'ap--1' },
];

describe('buildMitreMap', () => {
  it('maps each base technique to every tactic of it and its sub-techniques, in Sentinel names', () => {
    const map = buildMitreMap(objects);
    expect([...map.tactics]).toEqual([
      ['T0820', ['DefenseEvasion']],
      ['T1078', ['DefenseEvasion', 'InitialAccess', 'Persistence']],
      ['T1569', ['Execution']],
      ['T1659', ['CommandAndControl', 'InitialAccess']],
    ]);
    expect([...map.retired]).toEqual([
      ['T1035', 'T1569.002'],
      ['T1066', ''],
    ]);
  });

  it('refuses a kill-chain phase it cannot name', () => {
    expect(() => buildMitreMap([pattern('ap--9', 'T9999', [['mitre-attack', 'new-tactic']])])).toThrow(
      new Error('ATT&CK T9999: kill-chain phase "new-tactic" has no Sentinel tactic; add it to TACTICS'),
    );
  });

  it('renders the module with its version, source and MITRE notice', () => {
    const text = renderMitreModule(buildMitreMap(objects), 'v99.1', 'fixture');
    expect(text).toContain("export const ATTACK_VERSION = 'v99.1';");
    expect(text).toContain("  T1659: ['CommandAndControl', 'InitialAccess'],\n");
    expect(text).toContain("  T1035: 'T1569.002',\n");
    expect(text).toContain('© The MITRE Corporation.');
  });

  it('reads the bundles of a mitre/cti checkout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cti-'));
    try {
      mkdirSync(join(dir, 'enterprise-attack', 'attack-pattern'), { recursive: true });
      writeFileSync(join(dir, 'enterprise-attack', 'attack-pattern', 'a.json'), JSON.stringify({ type: 'bundle', objects: [objects[2]] }));
      expect(readStixObjects(dir)).toEqual([objects[2]]);
      expect(() => readStixObjects(join(dir, 'nothing'))).toThrow(
        new UsageError(`${join(dir, 'nothing')}: no enterprise-attack/attack-pattern folder`, 'Pass a checkout of github.com/mitre/cti.'),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the committed map (scripts/core/data/mitre.ts)', () => {
  it('is a current ATT&CK release with T1659 and multi-tactic techniques', () => {
    expect(ATTACK_VERSION).toMatch(/^v1[8-9]|^v[2-9]\d/);
    expect(TECHNIQUE_TACTICS.T1659).toEqual(['CommandAndControl', 'InitialAccess']);
    expect(TECHNIQUE_TACTICS.T1078).toEqual(['DefenseEvasion', 'InitialAccess', 'Persistence', 'PrivilegeEscalation']);
    expect(RETIRED_TECHNIQUES.T1035).toBe('T1569.002');
    expect(Object.keys(TECHNIQUE_TACTICS).length).toBeGreaterThan(280);
  });
});
