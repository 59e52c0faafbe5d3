// Reads GitHub Actions workflow files into a loosely typed model: the parts the policy checks and the
// local dry run need (jobs, steps, permissions, env), with the raw text kept for line-based checks.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { load } from 'js-yaml';

export type Scalar = string | number | boolean | null;
export type Mapping = Record<string, unknown>;

export interface Step {
  index: number;
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string | boolean;
  env: Record<string, Scalar>;
  with: Record<string, Scalar>;
}

export interface Job {
  id: string;
  raw: Mapping;
  /** `permissions:` as written: undefined when absent, a string (read-all, write-all) or a scope map. */
  permissions?: string | Record<string, string>;
  env: Record<string, Scalar>;
  steps: Step[];
}

export interface Workflow {
  /** Path relative to the repository root (or as given), for messages. */
  file: string;
  text: string;
  raw: Mapping;
  /** Event names under `on:`. */
  events: string[];
  permissions?: string | Record<string, string>;
  env: Record<string, Scalar>;
  jobs: Job[];
}

export const isMapping = (value: unknown): value is Mapping => typeof value === 'object' && value !== null && !Array.isArray(value);

function scalars(value: unknown, where: string): Record<string, Scalar> {
  if (value === undefined || value === null) return {};
  if (!isMapping(value)) throw new Error(`${where}: expected a mapping`);
  const out: Record<string, Scalar> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v !== null && typeof v === 'object') throw new Error(`${where}.${key}: expected a scalar`);
    out[key] = v as Scalar;
  }
  return out;
}

function permissions(value: unknown, where: string): string | Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (value === null) return {};
  if (!isMapping(value)) throw new Error(`${where}: expected read-all, write-all or a map of scopes`);
  return Object.fromEntries(Object.entries(value).map(([scope, level]) => [scope, String(level)]));
}

function events(on: unknown): string[] {
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.map(String);
  if (isMapping(on)) return Object.keys(on);
  return [];
}

export function parseWorkflow(file: string, text: string): Workflow {
  const raw = load(text);
  if (!isMapping(raw)) throw new Error(`${file}: a workflow is a YAML mapping`);
  if (!isMapping(raw.jobs)) throw new Error(`${file}: expected a 'jobs' mapping`);
  const jobs = Object.entries(raw.jobs).map(([id, value]): Job => {
    const where = `${file}: jobs.${id}`;
    if (!isMapping(value)) throw new Error(`${where}: expected a mapping`);
    const stepList = value.steps === undefined ? [] : value.steps;
    if (!Array.isArray(stepList)) throw new Error(`${where}.steps: expected a list`);
    const steps = stepList.map((s: unknown, index): Step => {
      if (!isMapping(s)) throw new Error(`${where}.steps[${index}]: expected a mapping`);
      const optional = (key: string): string | undefined => (s[key] === undefined ? undefined : String(s[key]));
      const condition = s.if;
      return {
        index,
        name: optional('name'),
        id: optional('id'),
        uses: optional('uses'),
        run: optional('run'),
        if: typeof condition === 'boolean' ? condition : condition === undefined ? undefined : String(condition),
        env: scalars(s.env, `${where}.steps[${index}].env`),
        with: scalars(s.with, `${where}.steps[${index}].with`),
      };
    });
    return {
      id,
      raw: value,
      permissions: permissions(value.permissions, `${where}.permissions`),
      env: scalars(value.env, `${where}.env`),
      steps,
    };
  });
  return {
    file,
    text,
    raw,
    events: events(raw.on),
    permissions: permissions(raw.permissions, `${file}: permissions`),
    env: scalars(raw.env, `${file}: env`),
    jobs,
  };
}

export function readWorkflow(path: string, root?: string): Workflow {
  return parseWorkflow(root ? relative(root, path) : path, readFileSync(path, 'utf8'));
}

/** The workflow files of a folder (*.yml, *.yaml), sorted by name. */
export function workflowFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(dir, name));
}

/** A step's label for messages: its name, else what it uses, else its first line. */
export function stepLabel(step: Step): string {
  return step.name ?? step.uses ?? step.run?.split('\n')[0] ?? `step ${step.index + 1}`;
}
