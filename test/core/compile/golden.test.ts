// Golden files of the detection rule's compiled output: a reviewer reads the diff of test/golden/
// when the emit path changes. Update them deliberately: npx vitest run -u test/core/compile/golden.test.ts
import { describe, expect, it } from 'vitest';
import { armOptionsFor } from '../../../scripts/core/compile/arm.ts';
import { armArtifacts, restArtifacts } from '../../../scripts/core/compile/artifacts.ts';
import { BUILD_TARGET, compileSet, type CompileTarget } from '../../../scripts/core/compile/content.ts';
import { repoContent } from '../../support/build.ts';
import { TEMPLATE_REPOSITORY } from '../../../scripts/core/compile/metadata.ts';

/** workspaces.yaml as shipped: only its repository name matters to the templates' ownership marks. */
const MARKED = { repository: TEMPLATE_REPOSITORY, environments: {} };

const RULE = '0209ac04-d70a-45f2-a58d-d69d06d783d5';

describe('golden: the IPsum detection rule', () => {
  const parsed = repoContent();
  // A workspace override as workspaces.yaml writes one (fixed here, so that editing workspaces.yaml does not move the golden files).
  const override: CompileTarget = {
    label: 'prod-westeurope',
    apiVersion: '2025-09-01',
    overrides: {
      'ipsum-inbound-internet-facing': { severity: 'High', enabled: true, parameters: { ExcludedLocalPorts: [25], MinIpsumLevel: 6 } },
    },
  };
  const cases: [string, CompileTarget, string | undefined][] = [
    ['default', BUILD_TARGET, undefined],
    ['override', override, 'law-sentinel-prod'],
  ];

  it.each(cases)('%s: REST payload and ARM template', async (name, target, workspace) => {
    const set = compileSet(parsed, target);
    expect(set.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const rest = restArtifacts(set).get(`api/alertRules/${RULE}.json`);
    const arm = armArtifacts(set, armOptionsFor(MARKED, target.apiVersion, workspace)).get(`arm/alertRules/${RULE}.json`);
    await expect(rest).toMatchFileSnapshot(`../../golden/ipsum-inbound-internet-facing.${name}.rest.json`);
    await expect(arm).toMatchFileSnapshot(`../../golden/ipsum-inbound-internet-facing.${name}.arm.json`);
  });
});
