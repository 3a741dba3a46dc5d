/** Thrown by simulator handlers; rendered as Alpaca's error body `{"code":N,"message":"..."}` plus `extra`. */
export class SimHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
  }
  toBody(): Record<string, unknown> {
    return { code: this.code, message: this.message, ...this.extra };
  }
}

/** Alpaca's observed error codes. */
export const ErrorCodes = {
  validation: 40010001,
  unauthorized: 40110000,
  forbidden: 40310000,
  notFound: 40410000,
  unprocessable: 42210000,
  rateLimited: 42910000,
  internal: 50010000,
} as const;

export const badRequest = (message: string) => new SimHttpError(400, ErrorCodes.validation, message);
export const unprocessable = (message: string, extra?: Record<string, unknown>) =>
  new SimHttpError(422, ErrorCodes.validation, message, extra);
export const notFound = (message: string) => new SimHttpError(404, ErrorCodes.notFound, message);
export const forbidden = (message: string, extra?: Record<string, unknown>) =>
  new SimHttpError(403, ErrorCodes.forbidden, message, extra);
