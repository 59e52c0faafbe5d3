// import: one input file's text → the rule files it becomes (pure; the command reads and writes).
// ARM templates (portal exports, this repository's own out/arm/…) and Azure-Sentinel YAML rules.
import { schemaDiagnostics } from '../validate/schema.ts';
import type { RuleYaml } from '../model/yaml-types.ts';
import { parseYaml } from '../yaml/document.ts';
import { readArmExport, type ArmRule } from './arm-export.ts';
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

/** `text` as read by io/content.ts readSource (byte-order mark already removed). */
export function importFile(file: string, input: string): { rules: ImportedRule[]; skipped: string[] } {
  if (/\.json$/i.test(file) || /^\s*\{/.test(input)) {
    const exported = readArmExport(file, input);
    return { rules: exported.rules.map((r) => finish(fromArm(r), [])), skipped: exported.skipped };
  }
  const { rule, notes } = readSentinelYaml(file, input);
  return { rules: [finish(rule, notes)], skipped: [] };
}

function fromArm(arm: ArmRule): RuleYaml {
  const rule = ruleFromApi(arm);
  const m = arm.metadata;
  if (!m) return rule;
  if (typeof m.version === 'string') rule.version = m.version;
  const metadata: Record<string, unknown> = {};
  for (const key of RULE_METADATA_KEYS) if (m[key] !== undefined) metadata[key] = m[key];
  if (Object.keys(metadata).length > 0) rule.metadata = metadata;
  return rule;
}

function finish(rule: RuleYaml, notes: string[]): ImportedRule {
  const fileName = `${slugOf(rule.name)}.yaml`;
  const text = ruleYamlText(rule);
  const parsed = parseYaml(`rules/${fileName}`, text);
  const schema = parsed.ok ? schemaDiagnostics('rule', parsed.document) : parsed.diagnostics;
  const problems = schema.map((d) => `line ${d.line}: ${d.code} ${d.message}`);
  return { id: rule.id, name: rule.name, fileName, text, notes: [...notes, ...problems] };
}
