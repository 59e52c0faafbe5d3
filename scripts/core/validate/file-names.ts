// Rule files are named by slugs: lower-case words and hyphens, for the file and each folder under
// rules/. The path under rules/ (without .yaml) is the key of the rule's overrides in workspaces.yaml,
// and it names the hunting artifact and appears in every report: it must be plain.
import type { Diagnostic } from '../diagnostics.ts';
import { slugOf as slugify } from '../import/write-yaml.ts';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** `rule.file-name` when the file's name (and, under rules/, its folders) are not slugs. */
export function ruleFileNameDiagnostics(path: string): Diagnostic[] {
  const inRules = path.startsWith('rules/');
  const parts = (inRules ? path.slice('rules/'.length) : path).split('/');
  // split gives at least one part; outside rules/ only the file's own name counts
  const file = parts.pop()!;
  const folders = inRules ? parts : [];
  // Stryker disable next-line Regex: a file whose base is a slug holds no other dot, so the only .yaml or .yml is at the end
  const extension = /\.(yaml|yml)$/.exec(file)?.[0];
  const base = file.replace(/\.ya?ml$/i, '');
  if (extension && SLUG.test(base) && folders.every((f) => SLUG.test(f))) return [];
  // slugify names an empty slug 'rule', which suits the file but not a folder
  const folderSlug = (f: string) => (/[a-z0-9]/i.test(f.normalize('NFKD')) ? slugify(f) : 'folder');
  const suggestion = [...(inRules ? ['rules'] : []), ...folders.map(folderSlug), `${slugify(base)}.yaml`].join('/');
  return [
    {
      code: 'rule.file-name',
      severity: 'error',
      file: path,
      line: 1,
      column: 1,
      message: `${JSON.stringify(inRules ? path : file)} is not a slug: rule files and their folders are named with lower-case words and hyphens (the path under rules/ is the rule's key in workspaces.yaml)`,
      hint: `Rename it to ${suggestion} (then update its overrides in workspaces.yaml, if any, and run \`npm run cli -- lock\`).`,
    },
  ];
}
