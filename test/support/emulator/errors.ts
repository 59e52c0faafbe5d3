// ARM-style errors: every failure the emulator answers is `{"error": {"code", "message"}}` with a
// status, like the service. Handlers throw ApiError; the server turns it into the response.

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

export function armError(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

export const badRequest = (message: string): ApiError => new ApiError(400, 'BadRequest', message);

export const notFound = (what: string): ApiError => new ApiError(404, 'NotFound', `${what} was not found.`);

export const conflict = (message: string): ApiError => new ApiError(409, 'Conflict', message);

/** Optimistic concurrency: an If-Match header or an etag in the body must match the stored etag. */
export function checkEtag(current: string | undefined, ifMatch: string | undefined, bodyEtag: unknown): void {
  if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== current) {
    throw new ApiError(
      412,
      'PreconditionFailed',
      `If-Match ${ifMatch} does not match the current etag ${current ?? '(none: the resource does not exist)'}.`,
    );
  }
  if (typeof bodyEtag === 'string' && current !== undefined && bodyEtag !== current) {
    throw conflict(
      `The etag in the request body (${bodyEtag}) does not match the current etag ${current}: read the resource again, then retry.`,
    );
  }
}
