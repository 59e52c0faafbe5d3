import { describe, expect, it } from 'vitest';
import { diffFields, lineDiff } from '../../../scripts/core/plan/field-diff.ts';
import { normalizeMark, normalizeRule, normalizeWatchlist, prune } from '../../../scripts/core/plan/normalize.ts';

const desired = {
  displayName: 'R',
  severity: 'Low',
  enabled: true,
  query: 'T\n| take 1',
  queryFrequency: 'PT1H',
  queryPeriod: 'P1D',
  triggerOperator: 'GreaterThan',
  triggerThreshold: 0,
  suppressionEnabled: false,
  suppressionDuration: 'PT5H',
  tactics: ['InitialAccess'],
  techniques: ['T1190', 'T1595'],
  entityMappings: [{ entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'IP' }] }],
  eventGroupingSettings: { aggregationKind: 'SingleAlert' },
  incidentConfiguration: {
    createIncident: true,
    groupingConfiguration: {
      enabled: false,
      reopenClosedIncident: false,
      lookbackDuration: 'PT5H',
      matchingMethod: 'AllEntities',
      groupByEntities: [],
      groupByAlertDetails: [],
      groupByCustomDetails: [],
    },
  },
};

describe('normalizeRule: a live rule as the service returns it equals what we compiled', () => {
  it.each([
    ['server-managed lastModifiedUtc', { lastModifiedUtc: '2026-01-01T00:00:00Z' }],
    [
      'explicit nulls for omitted properties',
      { alertRuleTemplateName: null, templateVersion: null, customDetails: null, alertDetailsOverride: null },
    ],
    ['non-canonical durations', { queryFrequency: 'PT60M', queryPeriod: 'PT24H', suppressionDuration: 'PT300M' }],
    ['defaults filled in by the service, omitted by the client', { eventGroupingSettings: undefined, incidentConfiguration: undefined }],
    ['empty arrays vs absent', { tactics: ['InitialAccess'], subTechniques: [] }],
    ['texts with CRLF and trailing white space (made in the portal)', { query: 'T\r\n| take 1\r\n  ', description: undefined }],
    ['techniques in the order they were picked', { techniques: ['T1595', 'T1190'] }],
  ])('%s', (_label, live) => {
    const withLive = Object.fromEntries(Object.entries({ ...desired, ...live }).filter(([, v]) => v !== undefined));
    expect(diffFields(normalizeRule('Scheduled', withLive), normalizeRule('Scheduled', desired))).toEqual([]);
  });

  it('a real difference is a field change, nested paths dotted', () => {
    const live = { ...desired, severity: 'High', incidentConfiguration: { createIncident: false } };
    expect(diffFields(normalizeRule('Scheduled', live), normalizeRule('Scheduled', desired))).toEqual([
      { field: 'incidentConfiguration.createIncident', old: false, new: true },
      { field: 'severity', old: 'High', new: 'Low' },
    ]);
  });

  it('texts differing inside, tactics in another order, are changes', () => {
    const live = { ...desired, query: 'T\n| take 2', tactics: ['Reconnaissance', 'InitialAccess'] };
    expect(
      diffFields(
        normalizeRule('Scheduled', live),
        normalizeRule('Scheduled', { ...desired, tactics: ['InitialAccess', 'Reconnaissance'] }),
      ).map((f) => f.field),
    ).toEqual(['query', 'tactics']);
  });

  it('kind is compared', () => {
    expect(diffFields(normalizeRule('NRT', desired), normalizeRule('Scheduled', desired)).map((f) => f.field)).toEqual(['kind']);
  });
});

describe('normalizeWatchlist and normalizeMark', () => {
  it('ignore the provenance block, server bookkeeping and item counts', () => {
    const live = {
      displayName: 'W',
      provider: 'p',
      source: 'w.csv',
      itemsSearchKey: 'IP',
      labels: [],
      description: 'Human text.\n[sync v1 items=3 month=2026-08 changes=1]',
      watchlistId: 'x',
      created: 'c',
      updated: 'u',
      provisioningState: 'Succeeded',
      uploadStatus: 'Complete',
      numberOfLinesToSkip: 0,
      watchlistType: 'watchlist',
      tenantId: 't',
    };
    expect(normalizeWatchlist(live)).toEqual({
      displayName: 'W',
      provider: 'p',
      source: 'w.csv',
      itemsSearchKey: 'IP',
      description: 'Human text.',
    });
  });

  it('marks compare parentId case-insensitively and ignore fields we do not write', () => {
    const a = normalizeMark({ kind: 'AnalyticsRule', parentId: '/subscriptions/S/resourceGroups/RG/x', firstPublishDate: '2026-01-01' });
    expect(a).toEqual({ kind: 'AnalyticsRule', parentId: '/subscriptions/s/resourcegroups/rg/x' });
  });

  it('prune drops null, empty strings, arrays and objects at any depth', () => {
    expect(prune({ a: null, b: '', c: [], d: {}, e: { f: [null] }, g: 0, h: false, i: [1, null] })).toEqual({ g: 0, h: false, i: [1] });
  });
});

describe('lineDiff', () => {
  it.each([
    ['one added line, one line of context, skipped runs as …', 'a\nb\nc\nd\ne', 'a\nb\nc\nX\nd\ne', ['…', ' c', '+X', ' d', '…']],
    ['a changed line shows - then +', 'a\nb\nc', 'a\nB\nc', [' a', '-b', '+B', ' c']],
    ['removal at the start', 'a\nb\nc\nd', 'b\nc\nd', ['-a', ' b', '…']],
    ['a run of changes: removals first', 'a\nb\nc', 'x\ny\nc', ['-a', '-b', '+x', '+y', ' c']],
    ['identical', 'a\nb', 'a\nb', ['…']],
  ])('%s', (_label, a, b, expected) => {
    expect(lineDiff(a, b).map((l) => (l.kind === '…' ? '…' : `${l.kind}${l.text}`))).toEqual(expected);
  });
});

describe('normalizeRule: the comparable form itself', () => {
  it('fills the service defaults, canonical durations, other strings untouched, server fields gone', () => {
    const live = {
      displayName: 'r',
      query: 'T | take 1',
      queryFrequency: 'pt60m',
      queryPeriod: 'PT1440M',
      lastModifiedUtc: 'x',
      severity: 'low',
    };
    expect(normalizeRule('Scheduled', live)).toStrictEqual({
      kind: 'Scheduled',
      displayName: 'r',
      query: 'T | take 1',
      queryFrequency: 'PT1H',
      queryPeriod: 'P1D',
      severity: 'low',
      suppressionEnabled: false,
      suppressionDuration: 'PT5H',
      eventGroupingSettings: { aggregationKind: 'SingleAlert' },
      incidentConfiguration: {
        createIncident: true,
        groupingConfiguration: { enabled: false, reopenClosedIncident: false, lookbackDuration: 'PT5H', matchingMethod: 'AllEntities' },
      },
    });
  });

  it('a text field the service answers as null is not set, not an error', () => {
    const live = { query: 'q', description: null, alertDetailsOverride: { alertDescriptionFormat: null } };
    expect(normalizeRule('Fusion', live)).toStrictEqual({ kind: 'Fusion', query: 'q' });
  });

  it('texts lose CR before LF, a lone CR and trailing white space; other strings keep them', () => {
    expect(normalizeRule('Fusion', { query: 'a\r\nb\rc \n', displayName: 'r \r\n' })).toStrictEqual({
      kind: 'Fusion',
      query: 'a\nb\nc',
      displayName: 'r \r\n',
    });
  });

  it('techniques compare as a sorted set; a list holding other values, or another list, keeps its order', () => {
    expect(normalizeRule('Fusion', { techniques: ['T1190', 'T1078'], subTechniques: ['T1078.004', 'T1059.001'] })).toStrictEqual({
      kind: 'Fusion',
      techniques: ['T1078', 'T1190'],
      subTechniques: ['T1059.001', 'T1078.004'],
    });
    expect(normalizeRule('Fusion', { techniques: ['T2', 1], tactics: ['Persistence', 'Execution'] })).toStrictEqual({
      kind: 'Fusion',
      techniques: ['T2', 1],
      tactics: ['Persistence', 'Execution'],
    });
  });

  it('NRT rules get the same defaults; other kinds (not ours) get none', () => {
    const scheduled = normalizeRule('Scheduled', { query: 'q' });
    expect(scheduled.suppressionDuration).toBe('PT5H');
    expect(normalizeRule('NRT', { query: 'q' })).toStrictEqual({ ...scheduled, kind: 'NRT' });
    expect(normalizeRule('Fusion', { enabled: true, suppressionDuration: 'PT60M' })).toStrictEqual({
      kind: 'Fusion',
      enabled: true,
      suppressionDuration: 'PT1H',
    });
  });

  it('the grouping lookback is a duration too; a part given keeps the other defaults', () => {
    const live = { incidentConfiguration: { groupingConfiguration: { enabled: true, lookbackDuration: 'PT300M' } } };
    expect(normalizeRule('Scheduled', live).incidentConfiguration).toStrictEqual({
      createIncident: true,
      groupingConfiguration: { enabled: true, reopenClosedIncident: false, lookbackDuration: 'PT5H', matchingMethod: 'AllEntities' },
    });
  });

  it('a value of the wrong shape where a default object belongs is kept as it is (and differs)', () => {
    expect(normalizeRule('Scheduled', { eventGroupingSettings: 'SingleAlert' }).eventGroupingSettings).toBe('SingleAlert');
  });

  it('durations with seconds or in lower case: whole minutes canonical, the rest upper-cased', () => {
    expect(normalizeRule('Fusion', { queryFrequency: 'pt30s', queryPeriod: 'pt1h', suppressionDuration: 'PT90S' })).toStrictEqual({
      kind: 'Fusion',
      queryFrequency: 'PT30S',
      queryPeriod: 'PT1H',
      suppressionDuration: 'PT90S',
    });
  });

  it('durations inside lists of objects are canonical as well', () => {
    expect(normalizeRule('Fusion', { list: [{ queryPeriod: 'PT120M' }, 'pt1h'] })).toStrictEqual({
      kind: 'Fusion',
      list: [{ queryPeriod: 'PT2H' }, 'pt1h'],
    });
  });
});

describe('normalizeWatchlist and normalizeMark: the fields we write only', () => {
  it('a watchlist without a description has none; defaultDuration is canonical', () => {
    expect(normalizeWatchlist({ displayName: 'W', defaultDuration: 'PT1440M', description: 42 })).toStrictEqual({
      displayName: 'W',
      defaultDuration: 'P1D',
    });
    expect(normalizeWatchlist({ displayName: 'W' })).toStrictEqual({ displayName: 'W' });
  });

  it('a mark without a parentId (or with a non-string one) is read as it is', () => {
    expect(normalizeMark({ kind: 'AnalyticsRule', contentId: 'C' })).toStrictEqual({ kind: 'AnalyticsRule', contentId: 'C' });
    expect(normalizeMark({ kind: 'AnalyticsRule', parentId: 7 })).toStrictEqual({ kind: 'AnalyticsRule', parentId: 7 });
  });

  it('prune leaves nothing of an all-empty value', () => {
    expect(prune({ a: null, b: [] })).toBeUndefined();
    expect(prune([])).toBeUndefined();
    expect(prune('')).toBeUndefined();
    expect(prune('x')).toBe('x');
  });
});
