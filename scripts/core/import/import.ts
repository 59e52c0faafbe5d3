// import: one input file's text → the rule files it becomes (pure; the command reads and writes).
// ARM templates (portal exports, this repository's own out/arm/…) and Azure-Sentinel YAML rules.
import { schemaDiagnostics } from '../validate/schema.ts';
import type { RuleYaml } from '../model/yaml-types.ts';
import { parseYaml } from '../yaml/document.ts';
import { InputError } from '../errors.ts';
import { readArmExport, type ArmRule, type ResourceNote } from './arm-export.ts';
import { ruleFromApi } from './from-api.ts';
import { readSentinelYaml } from './sentinel-yaml.ts';
import { ruleYamlText, slugOf } from './write-yaml.ts';
import { RULE_METADATA_KEYS } from '../compile/metadata.ts';

export interface ImportedRule {
  id: string;
  name: string;
  /** File name without folder: <slug>.yaml */
  fileName: string;
  text: string;
  /** What import changed or dropped, and what the rule schema still objects to (fix, then run validate). */
  notes: string[];
}

export interface ImportedFile {
  rules: ImportedRule[];
  /** Resources left out on purpose (other rule kinds, playbooks), with the reason. */
  skipped: ResourceNote[];
  /** Rules of the file that cannot be represented, with the reason; the file's other rules are imported. */
  refused: ResourceNote[];
}

/**
 * `text` as read by io/content.ts readSource (byte-order mark already removed). Throws InputError only
 * when the file as a whole cannot be read (not JSON/YAML, no alert rule at all, not a rule).
 */
export function importFile(file: string, input: string): ImportedFile {
  if (/\.json$/i.test(file) || /^\s*\{/.test(input)) {
    const exported = readArmExport(file, input);
    const out: ImportedFile = { rules: [], skipped: exported.skipped, refused: [...exported.refused] };
    for (const arm of exported.rules) {
      try {
        const { rule, notes } = fromArm(arm);
        out.rules.push(finish(rule, notes));
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        out.refused.push({ where: arm.where, reason: error.message, ...(error.hint ? { hint: error.hint } : {}) });
      }
    }
    out.refused.sort((a, b) => resourceIndex(a.where) - resourceIndex(b.where));
    return out;
  }
  const { rule, notes } = readSentinelYaml(file, input);
  return { rules: [finish(rule, notes)], skipped: [], refused: [] };
}

function resourceIndex(where: string): number {
  return Number(/resources\[(\d+)\]/.exec(where)?.[1] ?? 0);
}

/** An alert rule in API form, with the version and metadata of its Sentinel metadata resource when there is one. */
export function fromArm(arm: ArmRule): { rule: RuleYaml; notes: string[] } {
  const { rule, notes } = ruleFromApi(arm);
  const m = arm.metadata;
  if (!m) return { rule, notes };
  if (typeof m.version === 'string') rule.version = m.version;
  const metadata: Record<string, unknown> = {};
  for (const key of RULE_METADATA_KEYS) if (m[key] !== undefined) metadata[key] = m[key];
  if (Object.keys(metadata).length > 0) rule.metadata = metadata;
  return { rule, notes };
}

export function finish(rule: RuleYaml, notes: string[]): ImportedRule {
  const fileName = `${slugOf(rule.name)}.yaml`;
  const text = ruleYamlText(rule);
  const parsed = parseYaml(`rules/${fileName}`, text);
  const schema = parsed.ok ? schemaDiagnostics('rule', parsed.document) : parsed.diagnostics;
  const problems = schema.map((d) => `line ${d.line}: ${d.code} ${d.message}`);
  return { id: rule.id, name: rule.name, fileName, text, notes: [...notes, ...problems] };
}
