// Durations in both spellings: the rule format's 5m/1h/14d and ISO 8601 as the service returns it.
import { describe, expect, it } from 'vitest';
import { parseDuration, parseIsoDuration, toIsoDuration, toYamlDuration } from '../../../scripts/core/model/duration.ts';

describe('parseDuration (rule format)', () => {
  it.each([
    ['5m', 5],
    ['1h', 60],
    ['14d', 20_160],
    ['90m', 90],
    ['10h', 600],
    ['0m', undefined],
    ['05m', undefined],
    ['5', undefined],
    ['5s', undefined],
    ['5M', undefined],
    [' 5m', undefined],
    ['5m ', undefined],
    ['x5m', undefined],
    ['5mx', undefined],
    ['1h30m', undefined],
    [5, undefined],
    [['5m'], undefined],
    [undefined, undefined],
  ] as [unknown, number | undefined][])('%j → %j', (text, minutes) => {
    expect(parseDuration(text)).toBe(minutes);
  });
});

describe('toIsoDuration', () => {
  it.each([
    [5, 'PT5M'],
    [60, 'PT1H'],
    [90, 'PT1H30M'],
    [1440, 'P1D'],
    [1440 + 360, 'P1DT6H'],
    [1440 + 61, 'P1DT1H1M'],
    [1441, 'P1DT1M'],
    [20_160, 'P14D'],
    [0, 'PT0M'],
  ])('%d minutes → %s', (minutes, iso) => {
    expect(toIsoDuration(minutes)).toBe(iso);
  });
});

describe('parseIsoDuration', () => {
  it.each([
    ['PT5M', 5],
    ['PT1H', 60],
    ['P1D', 1440],
    ['P1DT6H', 1800],
    ['PT1H30M', 90],
    ['pt90m', 90],
    ['PT30S', 0.5],
    ['PT1.5S', 0.025],
    ['PT1.25S', 1.25 / 60],
    ['P2DT3H4M6S', 2 * 1440 + 3 * 60 + 4 + 0.1],
    ['P10D', 14_400],
    ['PT120M', 120],
    ['P', undefined],
    ['PT', undefined],
    ['P1DT', undefined],
    ['XPT5M', undefined],
    ['PT5MX', undefined],
    ['PT5', undefined],
    ['PT1.5M', undefined],
    ['PT1.S', undefined],
    ['PT1.xS', undefined],
    ['1h', undefined],
  ] as [string, number | undefined][])('%s → %j', (text, minutes) => {
    if (minutes === undefined) expect(parseIsoDuration(text)).toBeUndefined();
    else expect(parseIsoDuration(text)).toBeCloseTo(minutes, 10);
  });
});

describe('toYamlDuration', () => {
  it.each([
    [1440, '1d'],
    [2880, '2d'],
    [60, '1h'],
    [120, '2h'],
    [90, '90m'],
    [1500, '25h'],
    [5, '5m'],
  ])('%d minutes → %s', (minutes, text) => {
    expect(toYamlDuration(minutes)).toBe(text);
    expect(parseDuration(text)).toBe(minutes);
  });
});
