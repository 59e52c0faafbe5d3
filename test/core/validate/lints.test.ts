// Layer (h), content lints: each lint fires at the right line and column of a minimal rule (the fixture
// rule with one change), stays silent on the corrected rule, and on the same rule silenced with a reason.
import { describe, expect, it } from 'vitest';
import { LINT_CODES } from '../../../scripts/core/lint/registry.ts';
import { fixture, fixtureWith, positionOf, replaceOnce, validateFiles } from '../../support/content.ts';

type Edit = [from: string, to: string];

interface Case {
  code: string;
  /** Edits that make the fixture rule trigger the lint. */
  broken: Edit[];
  /** Where the warning points: a marker in the broken rule (its first occurrence), plus an offset. */
  at: string;
  offset?: number;
  message: string;
  hint: string;
  /** Edits that fix it (applied to the broken rule). */
  fixed: Edit[];
}

const SOURCE = '  DeviceNetworkEvents\n';
const LISTED =
  "  let Listed = _GetWatchlist('ipsum')\n      | where toint(Score) >= MinScore\n      | project ListedIP = tostring(SearchKey);\n";
const IN_LIST = '  | where RemoteIP in (Listed)\n';

const cases: Case[] = [
  {
    code: 'lint.ingestion-delay',
    broken: [[SOURCE, `${SOURCE}  | where TimeGenerated > ago(1h)\n`]],
    at: 'TimeGenerated > ago(1h)',
    message:
      'DeviceNetworkEvents: the filter keeps only events generated in the last 1h and the rule runs every 1h: an event ingested late (after the run that covers its TimeGenerated) is too old for the next run and never alerts',
    hint: 'Select by ingestion time over the frequency and widen the TimeGenerated window by the expected delay, e.g. `| where TimeGenerated > ago(1h + IngestionDelayAllowance) | where ingestion_time() > ago(1h)` (Microsoft Sentinel docs, "Handle ingestion delay in scheduled analytics rules"); or silence it under `lints:` with the reason.',
    fixed: [
      ['queryPeriod: 1h', 'queryPeriod: 2h'],
      ['  | where TimeGenerated > ago(1h)\n', '  | where TimeGenerated > ago(1h + 15m)\n  | where ingestion_time() > ago(1h)\n'],
    ],
  },
  {
    code: 'lint.window-beyond-period',
    broken: [[SOURCE, `${SOURCE}  | where TimeGenerated between (ago(2d) .. now())\n`]],
    at: 'TimeGenerated between',
    message:
      'this time filter reaches 2d back, but queryPeriod is 1h: each run is given only the last 1h of data, so the rule silently sees less than the query says',
    hint: 'Raise queryPeriod to 2d (at most 14d), or shorten the filter to the period.',
    fixed: [['queryPeriod: 1h', 'queryPeriod: 2d']],
  },
  {
    code: 'lint.period-unused',
    broken: [
      ['queryPeriod: 1h', 'queryPeriod: 1d'],
      [SOURCE, `${SOURCE}  | where TimeGenerated >= now() - 2h\n`],
    ],
    at: '1d\ntriggerOperator',
    message:
      'queryPeriod is 1d, but no table in the query is read further back than 2h (its widest TimeGenerated filter): each run asks Log Analytics for 1d of data and drops the rest',
    hint: "Set queryPeriod to 2h, or widen the query's filters if it should look further back.",
    fixed: [['queryPeriod: 1d', 'queryPeriod: 2h']],
  },
  {
    code: 'lint.network-dependency',
    broken: [[LISTED, '  let Listed = externaldata(ListedIP: string) [@"https://feed.invalid/levels/4.txt"] with (format="txt");\n']],
    at: 'externaldata(',
    message:
      "externaldata downloads https://feed.invalid/levels/4.txt at every run: the rule depends on that host (a slow or failing download fails the run, and once Sentinel's retries are spent that window is never queried again), and what it matches changes with a file nobody reviewed",
    hint: "Keep the list in a watchlist (watchlists/<alias>.yaml, kept current by sync-watchlist) and read it with _GetWatchlist('<alias>').",
    fixed: [['  let Listed = externaldata(ListedIP: string) [@"https://feed.invalid/levels/4.txt"] with (format="txt");\n', LISTED]],
  },
  {
    code: 'lint.join-unique',
    broken: [[IN_LIST, '  | join kind=inner Listed on $left.RemoteIP == $right.ListedIP\n']],
    at: 'join kind=inner',
    message:
      "join (kind=inner) against _GetWatchlist('ipsum'), which is not made unique on ListedIP: a watchlist can hold the same key in several items, so one row of the query can match several and come out (and alert) several times",
    hint: 'Keep one row per key on that side before joining, e.g. `| summarize arg_max(TimeGenerated, *) by ListedIP` or `| summarize Value = max(Value) by ListedIP`; if no column of it is needed, use `in` or kind=leftsemi.',
    fixed: [['      | project ListedIP = tostring(SearchKey);', '      | summarize by ListedIP = tostring(SearchKey);']],
  },
  {
    code: 'lint.join-kind-default',
    broken: [
      ['      | project ListedIP = tostring(SearchKey);', '      | summarize by ListedIP = tostring(SearchKey);'],
      [IN_LIST, '  | join Listed on $left.RemoteIP == $right.ListedIP\n'],
    ],
    at: 'join Listed',
    message:
      'join without kind= is innerunique: of the left rows that share a key value only one, chosen arbitrarily, is matched, and the others are silently dropped',
    hint: 'Write kind=inner to keep every left row (or kind=innerunique if one row per key is what the rule means, so that it says so).',
    fixed: [['| join Listed', '| join kind=inner Listed']],
  },
];

const apply = (text: string, edits: readonly Edit[]): string => edits.reduce((t, [from, to]) => replaceOnce(t, from, to), text);
const silence = (text: string, code: string, reason: string): string =>
  replaceOnce(text, 'kind: Scheduled\n', `kind: Scheduled\nlints:\n  ${code}: ${reason}\n`);
const lintsOf = (rule: string) => validateFiles(fixtureWith({ rule })).diagnostics;

describe('content lints: each fires at its place, and stays silent when fixed or silenced', () => {
  it('covers every lint', () => {
    expect(cases.map((c) => c.code).sort()).toEqual([...LINT_CODES].sort());
  });

  it.each(cases)('$code', (c) => {
    const broken = apply(fixture.rule, c.broken);
    const diagnostics = lintsOf(broken);
    expect(
      diagnostics.map((d) => d.code),
      JSON.stringify(diagnostics, null, 2),
    ).toEqual([c.code]);
    expect(diagnostics[0]).toMatchObject({
      file: 'rules/rule.yaml',
      severity: 'warning',
      ...positionOf(broken, c.at, c.offset ?? 0),
      message: c.message,
      hint: c.hint,
    });

    expect(lintsOf(apply(broken, c.fixed))).toEqual([]);
    expect(lintsOf(silence(broken, c.code, 'accepted, the fixture says why'))).toEqual([]);
  });
});

describe('silencing a lint', () => {
  const broken = apply(fixture.rule, cases[0]!.broken);

  it('needs a reason: a blank one is an error and silences nothing', () => {
    const rule = silence(broken, 'lint.ingestion-delay', "' '");
    const diagnostics = lintsOf(rule);
    expect(diagnostics.map((d) => [d.code, d.severity])).toEqual([
      ['lint.ingestion-delay', 'warning'],
      ['lint.silence-reason', 'error'],
    ]);
    expect(diagnostics[1]).toMatchObject({
      ...positionOf(rule, 'lint.ingestion-delay:'),
      message: 'silencing lint.ingestion-delay needs a reason',
      hint: 'Say why the rule is right as it is, e.g. `lint.ingestion-delay: "<why this case is accepted>"`.',
    });
  });

  it('needs a reason: an empty value is a schema error', () => {
    const rule = silence(broken, 'lint.ingestion-delay', '');
    expect(lintsOf(rule).map((d) => d.code)).toEqual(['lint.ingestion-delay', 'schema.type']);
  });

  it('names a lint: an unknown code is an error with the nearest code', () => {
    const rule = silence(broken, 'lint.ingestion-delays', 'late events are fine here');
    const diagnostics = lintsOf(rule);
    expect(diagnostics.map((d) => d.code)).toEqual(['lint.ingestion-delay', 'lint.silence-unknown']);
    expect(diagnostics[1]).toMatchObject({
      severity: 'error',
      ...positionOf(rule, 'lint.ingestion-delays'),
      message: "'lint.ingestion-delays' is not a lint code",
      hint: "Did you mean 'lint.ingestion-delay'?",
    });
  });

  it('names a lint: a code near none lists them all', () => {
    const rule = silence(broken, 'lint.zzz', 'late events are fine here');
    expect(lintsOf(rule)[1]).toMatchObject({
      code: 'lint.silence-unknown',
      message: "'lint.zzz' is not a lint code",
      hint: "Lint codes: 'lint.ingestion-delay', 'lint.window-beyond-period', 'lint.period-unused', 'lint.network-dependency', 'lint.join-unique' or 'lint.join-kind-default'.",
    });
  });

  it('a key that is not a lint code at all is one schema error', () => {
    const rule = silence(broken, 'ingestion-delay', 'late events are fine here');
    const diagnostics = lintsOf(rule);
    expect(diagnostics.map((d) => d.code)).toEqual(['lint.ingestion-delay', 'schema.key-format']);
    expect(diagnostics[1]).toMatchObject({
      message: "'ingestion-delay' is not a valid key in lints",
      hint: 'A lint code such as lint.ingestion-delay (the code the warning shows).',
    });
  });

  it('reports a silence that no longer silences anything (the query was fixed)', () => {
    const rule = silence(fixture.rule, 'lint.join-unique', 'the watchlist is unique by construction');
    const diagnostics = lintsOf(rule);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      code: 'lint.silence-unused',
      severity: 'warning',
      ...positionOf(rule, 'lint.join-unique:'),
      message: 'lint.join-unique is silenced, but the query no longer triggers it',
      hint: 'Remove the entry from `lints:`, so that the lint warns again if the problem comes back.',
    });
  });

  it('a query with errors does not call a silence unused (its lints cannot be trusted)', () => {
    const rule = silence(
      replaceOnce(fixture.rule, '\n  DeviceNetworkEvents\n', '\n  DeviceNetworkEventz\n'),
      'lint.join-unique',
      'unique by construction',
    );
    expect(lintsOf(rule).map((d) => d.code)).toEqual(['kql.unknown-table']);
  });

  it('silences only the named lint', () => {
    const rule = silence(apply(broken, [['queryPeriod: 1h', 'queryPeriod: 1d']]), 'lint.ingestion-delay', 'late events are fine here');
    expect(lintsOf(rule).map((d) => d.code)).toEqual(['lint.period-unused']);
  });
});

describe('lints and rule kinds', () => {
  it('schedule lints do not apply to NRT rules; the network lint does', () => {
    const nrt = (text: string) =>
      replaceOnce(
        replaceOnce(
          replaceOnce(replaceOnce(replaceOnce(text, 'queryFrequency: 1h\n', ''), 'queryPeriod: 1h\n', ''), 'triggerOperator: gt\n', ''),
          'triggerThreshold: 0\n',
          '',
        ),
        'kind: Scheduled',
        'kind: NRT',
      );
    expect(lintsOf(nrt(apply(fixture.rule, cases[0]!.broken)))).toEqual([]);
    expect(lintsOf(nrt(apply(fixture.rule, cases[3]!.broken))).map((d) => d.code)).toEqual(['lint.network-dependency']);
  });
});
