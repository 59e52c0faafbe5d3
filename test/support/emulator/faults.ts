// What makes the emulator fail on purpose: ARM's throttling (token buckets per subscription,
// answered 429 + Retry-After) and injected faults (5xx, 429, dropped connections, delays, an echo of
// the caller's credential).
// Both are decided before any state change, so a retried write is idempotent.
import { ApiError } from './errors.ts';

/** `echoAuthorization`: a misbehaving endpoint that answers this status with the Authorization header it got in its error code, message and response headers. */
export type Fault =
  { status: 429 | 500 | 503; retryAfterSeconds?: number } | { drop: true } | { delayMs: number } | { echoAuthorization: 400 | 401 | 403 };

export interface RateLimit {
  writesPerSecond?: number;
  writeBurst?: number;
  readsPerSecond?: number;
  readBurst?: number;
  /** Fixed Retry-After to answer; default: the seconds until the bucket has a token again. */
  retryAfterSeconds?: number;
}

class Bucket {
  readonly #rate: number;
  readonly #burst: number;
  #tokens: number;
  #last: number;
  constructor(rate: number, burst: number, now: number) {
    this.#rate = rate;
    this.#burst = burst;
    this.#tokens = burst;
    this.#last = now;
  }
  /** 0 when a token was taken; otherwise the milliseconds until one is available. */
  take(now: number): number {
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#last) / 1000) * this.#rate);
    this.#last = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.#tokens) / this.#rate) * 1000);
  }
}

/** ARM's limits per subscription and principal (Microsoft's documented ARM throttling limits) unless configured otherwise. */
export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #limit: RateLimit;
  constructor(limit: RateLimit) {
    this.#limit = limit;
  }

  /** Throws 429 SubscriptionRequestsThrottled when the subscription's bucket is empty. */
  take(subscriptionId: string, method: string, now: number): void {
    const write = method !== 'GET' && method !== 'HEAD';
    const key = `${subscriptionId.toLowerCase()}/${write ? 'writes' : 'reads'}`;
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = write
        ? new Bucket(this.#limit.writesPerSecond ?? 10, this.#limit.writeBurst ?? 200, now)
        : new Bucket(this.#limit.readsPerSecond ?? 25, this.#limit.readBurst ?? 250, now);
      this.#buckets.set(key, bucket);
    }
    const waitMs = bucket.take(now);
    if (waitMs === 0) return;
    const seconds = this.#limit.retryAfterSeconds ?? Math.max(1, Math.ceil(waitMs / 1000));
    throw new ApiError(
      429,
      'SubscriptionRequestsThrottled',
      `Number of '${write ? 'write' : 'read'}' requests for subscription '${subscriptionId}' exceeded. Please try again after '${seconds}' seconds.`,
      { 'Retry-After': String(seconds) },
    );
  }

  reset(): void {
    this.#buckets.clear();
  }
}

interface Rule<R> {
  predicate: (request: R) => boolean;
  fault: Fault;
  times: number;
}

/** Queued faults (`next`) apply to the next requests whatever they are; `when` rules to matching ones. */
export class Faults<R> {
  #queue: Fault[] = [];
  #rules: Rule<R>[] = [];

  next(...faults: Fault[]): void {
    this.#queue.push(...faults);
  }

  /** The fault applies to the next `times` (default 1; Infinity for a storm) matching requests. */
  when(predicate: (request: R) => boolean, fault: Fault, times = 1): void {
    this.#rules.push({ predicate, fault, times });
  }

  clear(): void {
    this.#queue = [];
    this.#rules = [];
  }

  /** The fault for this request, consumed; undefined when none applies. */
  take(request: R): Fault | undefined {
    const queued = this.#queue.shift();
    if (queued) return queued;
    const rule = this.#rules.find((r) => r.times > 0 && r.predicate(request));
    if (!rule) return undefined;
    rule.times -= 1;
    this.#rules = this.#rules.filter((r) => r.times > 0);
    return rule.fault;
  }
}

export function faultError(fault: { status: 429 | 500 | 503; retryAfterSeconds?: number }): ApiError {
  const headers: Record<string, string> = fault.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(fault.retryAfterSeconds) };
  if (fault.status === 429) return new ApiError(429, 'TooManyRequests', 'Too many requests (injected fault). Please retry later.', headers);
  if (fault.status === 503)
    return new ApiError(503, 'ServiceUnavailable', 'The service is temporarily unavailable (injected fault).', headers);
  return new ApiError(500, 'InternalServerError', 'An internal error occurred (injected fault).', headers);
}
