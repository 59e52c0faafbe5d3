import { describe, expect, it } from 'vitest';
import { forEachLimit, mapPool } from '../../scripts/core/pool.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('forEachLimit', () => {
  it.each([1, 3, 50])('never has more than %i calls in flight and visits every item once, in order of start', async (limit) => {
    let inFlight = 0;
    let peak = 0;
    const started: number[] = [];
    await forEachLimit([...Array(20).keys()], limit, async (item) => {
      started.push(item);
      peak = Math.max(peak, ++inFlight);
      await tick();
      inFlight--;
    });
    expect(started).toEqual([...Array(20).keys()]);
    expect(peak).toBe(Math.min(limit, 20));
  });

  it('stop() ends the run early; calls in flight finish', async () => {
    const done: number[] = [];
    await forEachLimit(
      [...Array(20).keys()],
      2,
      async (item) => {
        await tick();
        done.push(item);
      },
      () => done.length >= 5,
    );
    expect(done.length).toBeGreaterThanOrEqual(5);
    expect(done.length).toBeLessThanOrEqual(6);
  });

  it('a throwing call stops the rest and its error is rethrown after the others settle', async () => {
    const settled: number[] = [];
    await expect(
      forEachLimit([0, 1, 2, 3, 4, 5], 2, async (item) => {
        await tick();
        if (item === 1) throw new Error('boom');
        settled.push(item);
      }),
    ).rejects.toThrow(new Error('boom'));
    expect(settled).toEqual([0, 2]);
  });

  it('an empty list does nothing', async () => {
    let calls = 0;
    await forEachLimit([], 4, async () => void calls++);
    expect(calls).toBe(0);
  });
});

describe('mapPool', () => {
  it('returns results in input order whatever order the calls finish in', async () => {
    const results = await mapPool([30, 10, 20], 3, async (delay, index) => {
      await new Promise((resolve) => setTimeout(resolve, delay));
      return `${index}:${delay}`;
    });
    expect(results).toEqual(['0:30', '1:10', '2:20']);
  });
});
