import { describe, expect, it } from 'vitest';
import { ruleFileNameDiagnostics } from '../../../scripts/core/validate/file-names.ts';

const MESSAGE =
  "is not a slug: rule files and their folders are named with lower-case words and hyphens (the path under rules/ is the rule's key in workspaces.yaml)";
const hint = (to: string) => `Rename it to ${to} (then update its overrides in workspaces.yaml, if any, and run \`npm run cli -- lock\`).`;

describe('ruleFileNameDiagnostics', () => {
  it.each(['rules/network/ipsum-inbound.yaml', 'rules/a.yml', 'rules/x1.yaml', 'drafts/Odd Dir/ok.yaml', 'ok.yaml'])(
    '%s is clean',
    (path) => {
      expect(ruleFileNameDiagnostics(path)).toStrictEqual([]);
    },
  );

  it.each([
    // under rules/ the whole path is named, and every folder is renamed
    ['rules/Net Work/IPsum_Inbound.yaml', 'rules/Net Work/IPsum_Inbound.yaml', 'rules/net-work/ipsum-inbound.yaml'],
    ['rules/x.YAML', 'rules/x.YAML', 'rules/x.yaml'],
    ['rules/x.txt', 'rules/x.txt', 'rules/x-txt.yaml'],
    ['rules/a.yml-x.yaml', 'rules/a.yml-x.yaml', 'rules/a-yml-x.yaml'],
    // names with no letter or digit: a folder becomes "folder", a file "rule"
    ['rules/___/___.yaml', 'rules/___/___.yaml', 'rules/folder/rule.yaml'],
    // elsewhere only the file's own name counts
    ['drafts/Bad Name.yaml', 'Bad Name.yaml', 'bad-name.yaml'],
    ['Bad.yaml', 'Bad.yaml', 'bad.yaml'],
  ])('%s → rename to the suggestion', (path, named, to) => {
    expect(ruleFileNameDiagnostics(path)).toStrictEqual([
      {
        code: 'rule.file-name',
        severity: 'error',
        file: path,
        line: 1,
        column: 1,
        message: `${JSON.stringify(named)} ${MESSAGE}`,
        hint: hint(to),
      },
    ]);
  });
});
