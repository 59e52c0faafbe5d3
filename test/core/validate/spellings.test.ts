// normalizeRuleSpellings: Azure-Sentinel spellings accepted with a warning and rewritten in the
// document, empty keys read as absent (or as an empty list); what it leaves to the schema layer.
import { describe, expect, it } from 'vitest';
import { normalizeRuleSpellings } from '../../../scripts/core/validate/spellings.ts';
import { parseYaml } from '../../../scripts/core/yaml/document.ts';

function run(text: string) {
  const parsed = parseYaml('rules/r.yaml', text);
  if (!parsed.ok) throw new Error('fixture does not parse');
  const diagnostics = normalizeRuleSpellings(parsed.document);
  return { diagnostics, value: parsed.document.value };
}
const warning = (code: string, line: number, column: number, message: string, hint: string) => ({
  code,
  severity: 'warning',
  message,
  file: 'rules/r.yaml',
  line,
  column,
  hint,
});
const api = (line: number, column: number, message: string, hint: string) => warning('rule.api-spelling', line, column, message, hint);
const empty = (line: number, column: number, message: string, hint: string) => warning('rule.empty-key', line, column, message, hint);

describe('normalizeRuleSpellings', () => {
  it('kind in another case is rewritten; Scheduled, NRT, other kinds and non-strings are left to the schema', () => {
    expect(run('kind: scheduled\n')).toStrictEqual({
      diagnostics: [api(1, 7, "kind 'scheduled' is accepted as Scheduled", 'Write kind: Scheduled.')],
      value: { kind: 'Scheduled' },
    });
    expect(run('kind: nrt\n').value).toStrictEqual({ kind: 'NRT' });
    for (const text of ['kind: NRT\n', 'kind: Fusion\n', 'kind: 5\n']) expect(run(text).diagnostics).toStrictEqual([]);
    expect(run('kind: Fusion\n').value).toStrictEqual({ kind: 'Fusion' });
  });

  it("the API's trigger operators become ours; ours, unknown ones and non-strings stay", () => {
    expect(run('triggerOperator: GreaterThan\n')).toStrictEqual({
      diagnostics: [api(1, 18, 'triggerOperator GreaterThan is the API spelling; this repository writes gt', 'Write triggerOperator: gt.')],
      value: { triggerOperator: 'gt' },
    });
    for (const [text, value] of [
      ['triggerOperator: gt\n', 'gt'],
      ['triggerOperator: Bigger\n', 'Bigger'],
      ['triggerOperator: 3\n', 3],
    ] as const)
      expect(run(text)).toStrictEqual({ diagnostics: [], value: { triggerOperator: value } });
  });

  it('ISO durations become ours, the nested lookback too; ours, zero, seconds, nonsense and non-strings stay', () => {
    const text =
      'queryFrequency: PT1H\nqueryPeriod: p7d\nsuppressionDuration: 5h\nincidentConfiguration:\n  groupingConfiguration:\n    lookbackDuration: PT30M\n';
    expect(run(text)).toStrictEqual({
      diagnostics: [
        api(1, 17, 'queryFrequency PT1H is the API (ISO 8601) spelling; this repository writes 1h', 'Write queryFrequency: 1h.'),
        api(2, 14, 'queryPeriod p7d is the API (ISO 8601) spelling; this repository writes 7d', 'Write queryPeriod: 7d.'),
        api(6, 23, 'lookbackDuration PT30M is the API (ISO 8601) spelling; this repository writes 30m', 'Write lookbackDuration: 30m.'),
      ],
      value: {
        queryFrequency: '1h',
        queryPeriod: '7d',
        suppressionDuration: '5h',
        incidentConfiguration: { groupingConfiguration: { lookbackDuration: '30m' } },
      },
    });
    const kept = { queryFrequency: 'PT0M', queryPeriod: 'PT30S', suppressionDuration: 'Px' };
    expect(run('queryFrequency: PT0M\nqueryPeriod: PT30S\nsuppressionDuration: Px\n')).toStrictEqual({ diagnostics: [], value: kept });
    expect(run('queryFrequency: 7\nqueryPeriod: 1hPT\nincidentConfiguration: 3\n')).toStrictEqual({
      diagnostics: [],
      value: { queryFrequency: 7, queryPeriod: '1hPT', incidentConfiguration: 3 },
    });
  });

  it('tactics or techniques with no value are an empty list; a list given stays', () => {
    expect(run('tactics:\nrelevantTechniques: ""\n')).toStrictEqual({
      diagnostics: [
        empty(1, 1, 'tactics has no value: read as an empty list', 'Write tactics: [] (or list them).'),
        empty(2, 1, 'relevantTechniques has no value: read as an empty list', 'Write relevantTechniques: [] (or list them).'),
      ],
      value: { tactics: [], relevantTechniques: [] },
    });
    expect(run('tactics: [Execution]\n')).toStrictEqual({ diagnostics: [], value: { tactics: ['Execution'] } });
  });

  it('optional keys with no value are left out at any depth, list items included; required and own top-level keys stay', () => {
    const text =
      'name:\nalertDetailsOverride:\nlints:\nparameters:\nincidentConfiguration:\n  createIncident:\n  parameters:\nentityMappings:\n  - entityType: IP\n    fieldMappings:\n      - identifier:\n        columnName: c\n  - x\ncustomDetails:\n  name:\n';
    const left = (key: string) => `${key} has no value: it is left out`;
    const hint = (key: string) => `Remove the line, or give ${key} a value.`;
    expect(run(text)).toStrictEqual({
      diagnostics: [
        empty(2, 1, left('alertDetailsOverride'), hint('alertDetailsOverride')),
        empty(6, 3, left('createIncident'), hint('createIncident')),
        empty(7, 3, left('parameters'), hint('parameters')),
        empty(11, 9, left('identifier'), hint('identifier')),
        empty(15, 3, left('name'), hint('name')),
      ],
      value: {
        name: null,
        lints: null,
        parameters: null,
        incidentConfiguration: {},
        entityMappings: [{ entityType: 'IP', fieldMappings: [{ columnName: 'c' }] }, 'x'],
        customDetails: {},
      },
    });
  });
});
