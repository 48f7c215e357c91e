/**
 * The service errors the endpoint answers with, shaped the way AWS restJson1 services answer
 * (docs/architecture.md#aws-facts): a status, the `x-amzn-ErrorType` header and a JSON body `{"message": ...}`.
 * InternalServiceException is the one modelled error of Edge Manager; its body member is `Message`.
 */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
    /** Extra response headers (Retry-After, Allow, Connection). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  /** The JSON body AWS sends for this error. */
  body(): string {
    return JSON.stringify(this.errorType === 'InternalServiceException' ? { Message: this.message } : { message: this.message });
  }
}

export const missingAuthentication = () => new ServiceError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');

export const incompleteSignature = (message: string) => new ServiceError(400, 'IncompleteSignatureException', message);

export const unrecognizedClient = () =>
  new ServiceError(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');

export const invalidSignature = (message: string) => new ServiceError(403, 'InvalidSignatureException', message);

export const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

export const serialization = (message: string) => new ServiceError(400, 'SerializationException', message);

export const validation = (message: string) => new ServiceError(400, 'ValidationException', message);

export const throttling = (retryAfterSeconds: number) =>
  new ServiceError(429, 'ThrottlingException', 'Rate exceeded', { 'retry-after': String(retryAfterSeconds) });

export const internalFault = (message = 'An internal error occurred (injected by the endpoint fault settings).') =>
  new ServiceError(500, 'InternalServiceException', message);

export const unknownOperation = (method: string, path: string) =>
  new ServiceError(
    404,
    'UnknownOperationException',
    `No operation at ${method} ${path}; this service has POST /SendHeartbeat, POST /GetDeviceRegistration and POST /GetDeployments.`,
  );

export const methodNotAllowed = (method: string, path: string) =>
  new ServiceError(405, 'MethodNotAllowedException', `${path} accepts POST, not ${method}; send the request with POST.`, { allow: 'POST' });

export const tooLarge = (limit: number) =>
  new ServiceError(
    413,
    'RequestEntityTooLargeException',
    `The request body is larger than the limit of ${limit} bytes; send a smaller heartbeat or raise the endpoint's body limit.`,
    { connection: 'close' },
  );

export const bodyTimeout = (ms: number) =>
  new ServiceError(
    408,
    'RequestTimeoutException',
    `The request body did not arrive within ${ms} ms; send the whole body without pausing.`,
    { connection: 'close' },
  );

export const unsupportedMediaType = (type: string) =>
  new ServiceError(
    415,
    'UnsupportedMediaTypeException',
    `Content-Type ${type} is not JSON; send application/json (or application/x-amz-json-1.1, or no Content-Type).`,
  );
