// The normalized rule: what compile, plan and import work with. Built only from content that
// validated clean, so the YAML shape can be trusted here.
import type { YamlDocument } from '../yaml/document.ts';
import type { LetBinding } from './parameters.ts';
import type { RuleYaml } from './yaml-types.ts';

export interface RuleModel {
  /** rules/<slug>.yaml */
  file: string;
  slug: string;
  yaml: RuleYaml;
  /** The source, for positions in diagnostics raised after validation (e.g. by compile). */
  doc: YamlDocument;
  /** Top-level let bindings of the query (parameters are among them), from the KQL analysis. */
  lets: LetBinding[];
}

export const OPERATORS = { gt: 'GreaterThan', lt: 'LessThan', eq: 'Equal', ne: 'NotEqual' } as const;

export function operatorFromApi(value: string): keyof typeof OPERATORS | undefined {
  return (Object.keys(OPERATORS) as (keyof typeof OPERATORS)[]).find((k) => OPERATORS[k] === value);
}

/** Base techniques (T####) and sub-techniques (T####.###) of relevantTechniques, each sorted and unique. */
export function splitTechniques(relevant: readonly string[]): { techniques: string[]; subTechniques: string[] } {
  const techniques = new Set<string>();
  const subTechniques = new Set<string>();
  for (const t of relevant) {
    techniques.add(t.slice(0, 5));
    if (t.length > 5) subTechniques.add(t);
  }
  return { techniques: [...techniques].sort(), subTechniques: [...subTechniques].sort() };
}
