// Layer (c) for rules, on its own: each cross-field limit at its boundaries, with the exact message,
// hint and position a reviewer reads. Documents hold only the keys the check reads.
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../scripts/core/diagnostics.ts';
import { ATTACK_VERSION } from '../../../scripts/core/data/mitre.ts';
import { ruleFieldDiagnostics } from '../../../scripts/core/validate/rule-fields.ts';
import { parseYaml } from '../../../scripts/core/yaml/document.ts';

const FILE = 'rules/r.yaml';
function check(text: string): Diagnostic[] {
  const parsed = parseYaml(FILE, text);
  if (!parsed.ok) throw new Error(`test YAML does not parse: ${JSON.stringify(parsed.diagnostics)}`);
  return ruleFieldDiagnostics(parsed.document);
}
/** 1-based line and column of `marker` in `text`. */
function at(text: string, marker: string, offset = 0): { line: number; column: number } {
  const index = text.indexOf(marker) + offset;
  const before = text.slice(0, index);
  return { line: before.split('\n').length, column: index - before.lastIndexOf('\n') };
}
const error = (text: string, marker: string, code: string, message: string, hint: string, offset = 0): Diagnostic => ({
  code,
  severity: 'error',
  message,
  file: FILE,
  ...at(text, marker, offset),
  hint,
});

describe('schedule: queryFrequency and queryPeriod', () => {
  const schedule = (frequency: string, period: string) => `queryFrequency: ${frequency}\nqueryPeriod: ${period}\n`;

  it.each([
    ['5m', '5m'],
    ['14d', '14d'],
    ['1h', '2d'],
    ['1h', '14d'],
    ['2h', '2d'],
    ['5m', '47h'],
    ['5m', '1d'],
  ])('%s every %s is clean', (frequency, period) => {
    expect(check(schedule(frequency, period))).toStrictEqual([]);
  });

  it.each([
    ['4m', '5m', 'queryFrequency', '4m'],
    ['5m', '20161m', 'queryPeriod', '20161m'],
  ])('%s / %s: out of range', (frequency, period, key, value) => {
    const text = schedule(frequency, period);
    expect(check(text).filter((d) => d.code === 'rule.duration-range')).toStrictEqual([
      error(
        text,
        `${key}: ${value}`,
        'rule.duration-range',
        `${key} ${value} is outside the allowed 5m to 14d`,
        'Use a value from 5m to 14d.',
        key.length + 2,
      ),
    ]);
  });

  it("both out of range: one diagnostic each (and the long period's own rule)", () => {
    const text = schedule('1m', '15d');
    expect(check(text).map((d) => [d.code, d.line])).toStrictEqual([
      ['rule.duration-range', 1],
      ['rule.duration-range', 2],
      ['rule.long-period-frequency', 1],
    ]);
  });

  it('a period shorter than the frequency', () => {
    const text = schedule('2h', '1h');
    expect(check(text)).toStrictEqual([
      error(
        text,
        '1h\n',
        'rule.period-shorter-than-frequency',
        'queryPeriod 1h is shorter than queryFrequency 2h: events between runs would never be queried',
        'Set queryPeriod to at least 2h.',
      ),
    ]);
  });

  it.each([
    ['59m', '2d'],
    ['5m', '14d'],
  ])('a period of 2d or more needs a frequency of 1h or more: %s every %s', (frequency, period) => {
    const text = schedule(frequency, period);
    expect(check(text)).toStrictEqual([
      error(
        text,
        frequency,
        'rule.long-period-frequency',
        `a queryPeriod of 2 days or more (${period}) needs a queryFrequency of at least 1h (is ${frequency})`,
        'Raise queryFrequency to 1h or shorten queryPeriod below 2d.',
      ),
    ]);
  });

  it("durations that are not in the rule format are the schema's business", () => {
    expect(check(schedule('PT1H', '1 day'))).toStrictEqual([]);
  });
});

describe('techniques and tactics', () => {
  const rule = (tactics: string[], techniques: string[]) =>
    `tactics: [${tactics.join(', ')}]\nrelevantTechniques: [${techniques.join(', ')}]\n`;

  it.each([
    ['a technique valid under several tactics, with one of them listed', ['Persistence'], ['T1078']],
    ['its sub-technique, checked by its base technique', ['PrivilegeEscalation'], ['T1078.004']],
    ['a PreAttack/ResourceDevelopment technique under ResourceDevelopment', ['ResourceDevelopment'], ['T1583']],
    ['a malformed id (the schema reports it)', [], ['TA0001', 'T12345']],
  ])('clean: %s', (_label, tactics, techniques) => {
    expect(check(rule(tactics, techniques))).toStrictEqual([]);
  });

  it('a sub-technique whose tactic is missing is reported at the sub-technique', () => {
    const text = rule(['Execution'], ['T1190', 'T1078.004']);
    expect(check(text)).toStrictEqual([
      error(
        text,
        'T1190',
        'rule.technique-tactic',
        "T1190 belongs to 'InitialAccess', none of which is in tactics",
        "Add 'InitialAccess' to tactics, or remove T1190.",
      ),
      error(
        text,
        'T1078.004',
        'rule.technique-tactic',
        "T1078.004 belongs to 'DefenseEvasion', 'InitialAccess', 'Persistence' or 'PrivilegeEscalation', none of which is in tactics",
        "Add one of 'DefenseEvasion', 'InitialAccess', 'Persistence' or 'PrivilegeEscalation' to tactics, or remove T1078.004.",
      ),
    ]);
  });

  it('a revoked or deprecated technique is a warning naming its replacement, or none', () => {
    const text = rule(['Execution'], ['T1002', 'T0808']);
    expect(check(text)).toStrictEqual([
      {
        ...error(
          text,
          'T1002',
          'rule.retired-technique',
          `T1002 is revoked or deprecated in MITRE ATT&CK ${ATTACK_VERSION}`,
          'Use T1560 instead (what ATT&CK replaced it with).',
        ),
        severity: 'warning',
      },
      {
        ...error(
          text,
          'T0808',
          'rule.retired-technique',
          `T0808 is revoked or deprecated in MITRE ATT&CK ${ATTACK_VERSION}`,
          'Remove it, or pick the current technique on attack.mitre.org.',
        ),
        severity: 'warning',
      },
    ]);
  });

  it('PreAttack is never suggested', () => {
    const text = rule(['Execution'], ['T1583']);
    expect(check(text)).toStrictEqual([
      error(
        text,
        'T1583',
        'rule.technique-tactic',
        "T1583 belongs to 'ResourceDevelopment', none of which is in tactics",
        "Add 'ResourceDevelopment' to tactics, or remove T1583.",
      ),
    ]);
  });

  it('an unknown technique', () => {
    const text = rule(['Execution'], ['T9999.001']);
    expect(check(text)).toStrictEqual([
      error(
        text,
        'T9999.001',
        'rule.unknown-technique',
        `T9999.001 is not a MITRE ATT&CK ${ATTACK_VERSION} technique`,
        'Check the technique id on attack.mitre.org.',
      ),
    ]);
  });
});

describe('entity mappings', () => {
  const mapping = (type: string, ...identifiers: string[]) =>
    `entityMappings:\n  - entityType: ${type}\n    fieldMappings:\n${identifiers.map((id) => `      - identifier: ${id}\n        columnName: C${id}\n`).join('')}`;

  it.each([
    ['FileHash', ['Algorithm', 'Value']],
    ['Account', ['Name', 'UPNSuffix']],
    ['Host', ['HostName', 'DnsDomain']],
    ['IP', ['Address']],
  ])('clean: %s with %j', (type, identifiers) => {
    expect(check(mapping(type, ...identifiers))).toStrictEqual([]);
  });

  it('an entity type that needs a combination, with only one of it mapped', () => {
    const text = mapping('FileHash', 'Value');
    expect(check(text)).toStrictEqual([
      error(
        text,
        'FileHash',
        'rule.entity-strong-identifier',
        'the FileHash mapping has no identifier that identifies the entity on its own',
        'Map Algorithm + Value.',
      ),
    ]);
  });

  it('only weak identifiers: the hint lists every strong one', () => {
    const text = mapping('Host', 'DnsDomain', 'OSFamily');
    expect(check(text)).toStrictEqual([
      error(
        text,
        'Host',
        'rule.entity-strong-identifier',
        'the Host mapping has no identifier that identifies the entity on its own',
        "Map one of 'FullName', 'HostName', 'NetBiosName', 'AzureID' or 'OMSAgentID'.",
      ),
    ]);
  });

  it('an identifier of another entity type, with the nearest one; a duplicate identifier', () => {
    const text = mapping('IP', 'Adress', 'Address', 'Address');
    const second = text.lastIndexOf('identifier: Address') + 'identifier: '.length;
    expect(check(text)).toStrictEqual([
      error(text, 'Adress', 'rule.entity-identifier', "'Adress' is not an identifier of entity type IP", "Did you mean 'Address'?"),
      {
        ...error(
          text,
          'Address',
          'rule.entity-duplicate-identifier',
          "IP maps identifier 'Address' twice",
          'Keep one field mapping per identifier.',
        ),
        ...lineColumn(text, second),
      },
    ]);
  });

  it("an identifier with no near match: the hint lists the type's identifiers", () => {
    const text = mapping('DNS', 'Zzzzzz', 'DomainName');
    expect(check(text)).toStrictEqual([
      error(text, 'Zzzzzz', 'rule.entity-identifier', "'Zzzzzz' is not an identifier of entity type DNS", "DNS accepts 'DomainName'."),
    ]);
  });

  it("unknown entity types and mappings without identifiers are the schema's business", () => {
    expect(check(mapping('Spaceship', 'Name'))).toStrictEqual([]);
    expect(check('entityMappings:\n  - entityType: IP\n    fieldMappings:\n      - columnName: X\n')).toStrictEqual([
      error(
        'entityMappings:\n  - entityType: IP\n',
        'IP',
        'rule.entity-strong-identifier',
        'the IP mapping has no identifier that identifies the entity on its own',
        'Map Address.',
      ),
    ]);
  });
});

function lineColumn(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  return { line: before.split('\n').length, column: index - before.lastIndexOf('\n') };
}

describe('alertDetailsOverride placeholders', () => {
  const override = (key: string, format: string) => `alertDetailsOverride:\n  ${key}: "${format}"\n`;

  it.each(['alertDisplayNameFormat', 'alertDescriptionFormat'])('%s: three placeholders are fine, four are not', (key) => {
    expect(check(override(key, '{{A}} {{B}} {{C}}'))).toStrictEqual([]);
    const text = override(key, '{{A}} {{B}} {{C}} {{D}}');
    expect(check(text)).toStrictEqual([
      error(
        text,
        '"{{A}}',
        'rule.placeholder-count',
        `${key} uses 4 {{column}} placeholders; Sentinel allows at most 3`,
        'Keep the three most useful columns; put the rest in customDetails.',
      ),
    ]);
  });

  it('braces that are not a placeholder do not count', () => {
    expect(check(override('alertDescriptionFormat', '{{A}} {{B}} {{C}} {D} {{{E}'))).toStrictEqual([]);
  });
});

describe('incident grouping', () => {
  const grouping = (lines: string) =>
    `entityMappings:\n  - entityType: IP\n    fieldMappings:\n      - identifier: Address\n        columnName: IP\ncustomDetails:\n  Port: LocalPort\nincidentConfiguration:\n  createIncident: true\n  groupingConfiguration:\n${lines}`;

  it.each([
    [
      'Selected with empty lists while disabled',
      '    enabled: false\n    matchingMethod: Selected\n    groupByEntities: []\n    groupByAlertDetails: []\n    groupByCustomDetails: []\n',
    ],
    ['AllEntities with no lists', '    enabled: true\n    matchingMethod: AllEntities\n'],
    ['Selected with a mapped entity', '    enabled: true\n    matchingMethod: Selected\n    groupByEntities: [IP]\n'],
    ['Selected with alert details only', '    enabled: true\n    matchingMethod: Selected\n    groupByAlertDetails: [DisplayName]\n'],
    ['Selected with a defined custom detail only', '    enabled: true\n    matchingMethod: Selected\n    groupByCustomDetails: [Port]\n'],
  ])('clean: %s', (_label, lines) => {
    expect(check(grouping(lines))).toStrictEqual([]);
  });

  it('Selected and enabled with nothing to group by', () => {
    const text = grouping('    enabled: true\n    matchingMethod: Selected\n');
    expect(check(text)).toStrictEqual([
      error(
        text,
        'Selected',
        'rule.grouping-selection',
        'matchingMethod Selected needs at least one of groupByEntities, groupByAlertDetails or groupByCustomDetails',
        'List what alerts are grouped by, or use AllEntities.',
      ),
    ]);
  });

  it.each([['groupByEntities: [IP]'], ['groupByAlertDetails: [Severity]'], ['groupByCustomDetails: [Port]']])(
    'lists without Selected are ignored (a warning): %s',
    (list) => {
      const text = grouping(`    enabled: true\n    matchingMethod: AnyAlert\n    ${list}\n`);
      expect(check(text)).toStrictEqual([
        {
          ...error(
            text,
            'AnyAlert',
            'rule.grouping-ignored',
            'groupBy lists are ignored unless matchingMethod is Selected (is AnyAlert)',
            'Set matchingMethod: Selected, or remove the groupBy lists.',
          ),
          severity: 'warning',
        },
      ]);
    },
  );

  it('grouping by an entity no mapping produces, or by a custom detail that does not exist', () => {
    const text = grouping(
      '    enabled: true\n    matchingMethod: Selected\n    groupByEntities: [IP, Host]\n    groupByCustomDetails: [Port, Prot, Other]\n',
    );
    expect(check(text)).toStrictEqual([
      error(
        text,
        'Host]',
        'rule.grouping-entity',
        'incidents are grouped by Host, but no entity mapping produces a Host',
        'Map a Host entity in entityMappings or remove it from groupByEntities.',
      ),
      error(text, 'Prot,', 'rule.grouping-custom-detail', "'Prot' is not a key of customDetails", "Did you mean 'Port'?"),
      error(
        text,
        'Other]',
        'rule.grouping-custom-detail',
        "'Other' is not a key of customDetails",
        'Group only by keys defined in customDetails.',
      ),
    ]);
  });
});

describe('suppression and query text', () => {
  it('suppression on without a duration is reported at the key; off, or with a duration, is clean', () => {
    const text = 'suppressionEnabled: true\n';
    expect(check(text)).toStrictEqual([
      {
        code: 'rule.suppression',
        severity: 'error',
        message: 'suppressionEnabled is true but suppressionDuration is missing',
        file: FILE,
        line: 1,
        column: 1,
        hint: 'Add suppressionDuration (e.g. 5h), or set suppressionEnabled: false.',
      },
    ]);
    expect(check('suppressionEnabled: false\n')).toStrictEqual([]);
    expect(check('suppressionEnabled: true\nsuppressionDuration: 5h\n')).toStrictEqual([]);
  });

  it('non-ASCII characters: an error in the query code, a warning in a comment or a string literal, each at its position', () => {
    const text = 'query: |\n  T // café\n  | where Name == “x” and A == "né"\n';
    const code = 'Replace it with its ASCII equivalent (typographic quotes and dashes, non-breaking spaces are the usual culprits).';
    const accepted = "The service accepts it; replace it if your repository follows Microsoft's ASCII-only content policy.";
    expect(check(text)).toStrictEqual([
      { ...error(text, 'é', 'rule.query-ascii', "non-ASCII character U+00E9 ('é') in a comment", accepted), severity: 'warning' },
      error(text, '“x', 'rule.query-ascii', "non-ASCII character U+201C ('“') in the query code", code),
      error(text, '”', 'rule.query-ascii', "non-ASCII character U+201D ('”') in the query code", code),
      { ...error(text, 'é"', 'rule.query-ascii', "non-ASCII character U+00E9 ('é') in a string literal", accepted), severity: 'warning' },
    ]);
    expect(check('query: "T | take 1"\n')).toStrictEqual([]);
  });

  it('at most ten non-ASCII characters are reported', () => {
    expect(check(`query: "T // ${'é'.repeat(12)}"\n`)).toHaveLength(10);
  });
});
