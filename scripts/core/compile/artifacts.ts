// The files `build` writes, as a map of out/-relative path → content. Pure: the writer is io/artifacts.ts.
import { armTemplates, type ArmOptions } from './arm.ts';
import type { CompiledSet } from './content.ts';
import { stableJson } from './stable-json.ts';

/** `<prefix>api/alertRules/<ruleId>.json` and `<prefix>api/watchlists/<alias>.json`: the exact PUT bodies. */
export function restArtifacts(set: CompiledSet, prefix = ''): Map<string, string> {
  const files = new Map<string, string>();
  for (const rule of set.alertRules) files.set(`${prefix}api/alertRules/${rule.id}.json`, stableJson(rule.body));
  for (const w of set.watchlists) files.set(`${prefix}api/watchlists/${w.alias}.json`, stableJson(w.body));
  return files;
}

/** `<prefix>arm/alertRules/<ruleId>.json`, `<prefix>arm/watchlists/<alias>.json`, `<prefix>arm/all.json`. */
export function armArtifacts(set: CompiledSet, options: ArmOptions, prefix = ''): Map<string, string> {
  const files = new Map<string, string>();
  for (const [path, template] of armTemplates(set, options)) files.set(`${prefix}${path}`, stableJson(template));
  return files;
}
