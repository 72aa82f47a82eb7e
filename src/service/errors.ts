/** A refusal with its HTTP status; every error leaves the service as JSON `{error, message}`. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (m: string) => new HttpError(400, 'bad_request', m);
export const unauthorized = (m: string) => new HttpError(401, 'unauthorized', m);
export const forbidden = (m: string) => new HttpError(403, 'forbidden', m);
export const notFound = (m: string) => new HttpError(404, 'not_found', m);
export const conflict = (m: string) => new HttpError(409, 'conflict', m);
export const unavailable = (m: string) => new HttpError(503, 'unavailable', m);

/** JSON schema of every error body (for the OpenAPI document). */
export const errorSchema = {
  type: 'object',
  required: ['error', 'message'],
  properties: { error: { type: 'string' }, message: { type: 'string' } },
} as const;
