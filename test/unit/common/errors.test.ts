/** Coded errors (docs/architecture.md#errors): exit codes and HTTP statuses come from codes, and every layer's error is one. */
import { expect, it } from 'vitest';
import { AppError, EXIT_CODE_OF, HTTP_STATUS_OF, isAppError, sentenceOf, type ErrorCode } from '../../../src/common/errors.ts';
import { CliError } from '../../../src/cli/cli-error.ts';
import { CredentialsError } from '../../../src/node/credentials/credentials.ts';
import { PayloadSourceError } from '../../../src/node/engine/payloads.ts';
import { EndpointConfigError } from '../../../src/node/endpoint/config.ts';
import { HistoryWriteError } from '../../../src/node/history/log-file.ts';
import { HostError } from '../../../src/node/host/host-error.ts';
import { TargetError } from '../../../src/node/targets/target.ts';
import { TransportConfigError } from '../../../src/node/transport/dispatcher.ts';

it('every code has an exit code and an HTTP status', () => {
  expect(Object.keys(EXIT_CODE_OF).sort()).toEqual(Object.keys(HTTP_STATUS_OF).sort());
  expect(EXIT_CODE_OF.TRANSPORT).toBe(3);
  expect(EXIT_CODE_OF.SERVICE).toBe(1);
  expect(EXIT_CODE_OF.INVALID_PAYLOAD).toBe(1);
  expect(HTTP_STATUS_OF.NOT_FOUND).toBe(404);
  expect(HTTP_STATUS_OF.CONFLICT).toBe(409);
});

it("each layer's error is an AppError with its code, recognised by its brand across copies of the class", () => {
  const made: Array<[AppError, ErrorCode]> = [
    [new CredentialsError('c'), 'CREDENTIALS'],
    [new TargetError('t'), 'TARGET'],
    [new TransportConfigError('x'), 'TRANSPORT_CONFIG'],
    [new HistoryWriteError('h'), 'HISTORY'],
    [new PayloadSourceError('p'), 'BAD_INPUT'],
    [new EndpointConfigError('e'), 'ENDPOINT_CONFIG'],
    [new HostError('n', 'NOT_FOUND'), 'NOT_FOUND'],
    [new CliError('b'), 'BAD_INPUT'],
  ];
  for (const [error, code] of made) {
    expect(isAppError(error)).toBe(true);
    expect(error.code).toBe(code);
  }
  // A copy from another bundle: same brand, different class.
  const foreign = Object.assign(new Error('other bundle'), { [Symbol.for('heartbeat-composer.AppError')]: true, code: 'TARGET' });
  expect(isAppError(foreign)).toBe(true);
  expect(isAppError(new Error('plain'))).toBe(false);
  expect(sentenceOf(new Error('ECONNRESET'), 'The host')).toBe('The host failed: ECONNRESET.');
  expect(sentenceOf(new TargetError('"x" is not a region name; use one like us-east-1.'))).toBe(
    '"x" is not a region name; use one like us-east-1.',
  );
});
