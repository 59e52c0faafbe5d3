// Compile time for a generated corpus of 500 varied rules (test/bench/corpus.ts), validation
// excluded: compileSet + restArtifacts + ARM templates, for the default target and for each
// workspace of the corpus's workspaces.yaml; plus the lock hashes. Medians of several runs.
import { fileURLToPath } from 'node:url';
import { armOptionsFor } from '../../scripts/core/compile/arm.ts';
import { armArtifacts, restArtifacts } from '../../scripts/core/compile/artifacts.ts';
import { BUILD_TARGET, compileSet, ruleModels, type CompileTarget } from '../../scripts/core/compile/content.ts';
import { ruleHash } from '../../scripts/core/lock/lock-file.ts';
import { environmentNames, workspacesOf } from '../../scripts/core/model/workspaces.ts';
import type { WorkspacesYaml } from '../../scripts/core/model/yaml-types.ts';
import { validateContent, type ParsedContent } from '../../scripts/core/validate/validate.ts';
import { loadContent } from '../../scripts/io/content.ts';
import { generateCorpus } from './corpus.ts';
import { median, ms, timeRuns } from './stats.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const RULES = 500;
const RUNS = 7;

function targets(parsed: ParsedContent): CompileTarget[] {
  const config = parsed.workspaces?.value as WorkspacesYaml | undefined;
  const list: CompileTarget[] = [BUILD_TARGET];
  for (const env of config ? environmentNames(config) : []) {
    for (const ws of workspacesOf(config!, env)) list.push({ label: ws.name, apiVersion: ws.apiVersion, overrides: ws.rules });
  }
  return list;
}

/** What build does after validation, for one target: REST bodies and ARM templates, serialized. */
function emit(parsed: ParsedContent, target: CompileTarget): number {
  const set = compileSet(parsed, target);
  const config = parsed.workspaces?.value as WorkspacesYaml | undefined;
  const rest = restArtifacts(set);
  const arm = armArtifacts(set, armOptionsFor(config, target.apiVersion));
  let bytes = 0;
  for (const text of [...rest.values(), ...arm.values()]) bytes += text.length;
  return bytes;
}

export default async function (): Promise<void> {
  const repo = loadContent({ root });
  const corpus = generateCorpus(RULES);
  const validation = validateContent({ ...corpus, tables: repo.tables });
  const parsed = validation.parsed;
  const errors = validation.diagnostics.filter((d) => d.severity === 'error').length;
  const all = targets(parsed);
  console.log(
    `generated corpus: ${corpus.rules.length} rules, ${corpus.watchlists.length} watchlist(s), ${all.length} target(s) (default + workspaces); validation (not timed): ${errors} errors`,
  );

  let bytes = 0;
  const defaultRuns = await timeRuns(RUNS, () => (bytes = emit(parsed, all[0]!)));
  const d = median(defaultRuns);
  console.log(
    `compile + REST + ARM, default target: median ${ms(d)} over ${RUNS} runs (${ms(d / RULES)} per rule), ${(bytes / 1024 / 1024).toFixed(1)} MiB of artifacts`,
  );

  const allRuns = await timeRuns(RUNS, () => all.forEach((t) => emit(parsed, t)));
  const a = median(allRuns);
  console.log(`compile + REST + ARM, all ${all.length} targets: median ${ms(a)} (${ms(a / (RULES * all.length))} per rule and target)`);

  const models = ruleModels(parsed);
  const hashRuns = await timeRuns(RUNS, () => models.forEach((m) => ruleHash(m)));
  console.log(`lock hashes (compile + canonical JSON + sha256): median ${ms(median(hashRuns))} for ${models.length} rules`);
}
