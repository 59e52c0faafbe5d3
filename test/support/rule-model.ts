// A RuleModel straight from YAML text, without the KQL analysis (no lets): for compile and lock tests
// that need rules, not validation. The default rule is small, valid and Scheduled.
import type { RuleModel } from '../../scripts/core/model/rule.ts';
import type { RuleYaml } from '../../scripts/core/model/yaml-types.ts';
import { parseYaml } from '../../scripts/core/yaml/document.ts';

export const RULE_YAML = `id: 6F1C2A57-0B8E-4A43-9D6E-2C1F0E5B7A10
name: R
description: |
  Text.
severity: Low
kind: Scheduled
queryFrequency: 1h
queryPeriod: 1d
triggerOperator: gt
triggerThreshold: 0
tactics: [InitialAccess]
relevantTechniques: [T1190]
query: |
  T | take 1
version: 1.0.0
`;

/** `edits` replace the line starting with each key (`id`, `version`, `name`…). */
export function ruleModel(file = 'rules/r.yaml', edits: Record<string, string> = {}, text = RULE_YAML): RuleModel {
  let yaml = text;
  for (const [key, value] of Object.entries(edits)) yaml = yaml.replace(new RegExp(`^${key}: .*$`, 'm'), `${key}: ${value}`);
  const parsed = parseYaml(file, yaml);
  if (!parsed.ok) throw new Error(`ruleModel: ${JSON.stringify(parsed.diagnostics)}`);
  const slug = file.replace(/^.*\//, '').replace(/\.ya?ml$/, '');
  return { file, slug, yaml: parsed.document.value as RuleYaml, doc: parsed.document, lets: [] };
}
