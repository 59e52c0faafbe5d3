// Two pipeline policies that run inside the SDK's retry loop (once per attempt), so that the
// pipeline's own retry and throttling strategies keep doing the retrying:
//
// - attemptTimeoutPolicy: our own per-attempt timer on an AbortSignal, cleared whatever happens.
//   The SDK's `request.timeout` arms a timer that is left running when the request fails at the
//   socket level (connection reset or refused), which kept every command alive ~2 minutes after its
//   report. A timed-out attempt becomes an ETIMEDOUT RestError, which the exponential strategy retries.
// - retryAfterCapPolicy: a 429/503 asking to wait longer than maxRetryDelayInMs is answered as if it
//   had asked for exactly that long (the throttling strategy reads `retry-after-ms` first), so one
//   `Retry-After: 3600` cannot stall a run for an hour.
import { RestError, type PipelinePolicy, type PipelineResponse } from '@azure/core-rest-pipeline';

export const ATTEMPT_TIMEOUT_POLICY = 'sentinelAttemptTimeout';
export const RETRY_AFTER_CAP_POLICY = 'sentinelRetryAfterCap';

export function attemptTimeoutPolicy(timeoutMs: number): PipelinePolicy {
  return {
    name: ATTEMPT_TIMEOUT_POLICY,
    async sendRequest(request, next) {
      const outer = request.abortSignal;
      const controller = new AbortController();
      const forward = (): void => controller.abort();
      if (outer?.aborted) forward();
      else outer?.addEventListener('abort', forward, { once: true });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs);
      request.abortSignal = controller.signal;
      try {
        return await next(request);
      } catch (error) {
        if (timedOut && !outer?.aborted) {
          throw new RestError(`no answer within ${Math.round(timeoutMs / 1000)} s`, { code: 'ETIMEDOUT', request });
        }
        throw error;
      } finally {
        clearTimeout(timer);
        outer?.removeEventListener('abort', forward);
        // The retry policy checks the caller's signal, not this attempt's.
        request.abortSignal = outer;
      }
    },
  };
}

export function retryAfterCapPolicy(maxDelayMs: number): PipelinePolicy {
  return {
    name: RETRY_AFTER_CAP_POLICY,
    async sendRequest(request, next) {
      const response = await next(request);
      const asked = retryAfterMs(response);
      if (asked !== undefined && asked > maxDelayMs) {
        response.headers.set('retry-after-ms', String(maxDelayMs));
        response.headers.delete('x-ms-retry-after-ms');
      }
      return response;
    },
  };
}

/** The wait a throttled answer asks for, read as the SDK's throttling strategy reads it. */
export function retryAfterMs(response: PipelineResponse): number | undefined {
  if (response.status !== 429 && response.status !== 503) return undefined;
  for (const [header, factor] of [
    ['retry-after-ms', 1],
    ['x-ms-retry-after-ms', 1],
    ['retry-after', 1000],
  ] as const) {
    const text = response.headers.get(header);
    if (text === undefined) continue;
    const value = Number(text);
    if (text.trim() !== '' && Number.isFinite(value)) return Math.max(0, value * factor);
    if (header === 'retry-after') {
      const date = Date.parse(text);
      if (Number.isFinite(date)) return Math.max(0, date - Date.now());
    }
  }
  return undefined;
}
