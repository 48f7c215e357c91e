/** The Authorization parser: the regex fast path for well-formed headers agrees with the field-by-field parser. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAuthorization } from '../../../src/node/endpoint/authorization.ts';
import { ServiceError } from '../../../src/node/endpoint/errors.ts';

const part = fc.stringMatching(/^[A-Za-z0-9_+=.-]{1,24}$/);
const headerName = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);

describe('parseAuthorization', () => {
  it('parses a well-formed header the same way with and without the fast path', () => {
    fc.assert(
      fc.property(
        fc.tuple(part, part, part, part, part),
        fc.array(headerName, { minLength: 1, maxLength: 6 }),
        fc.stringMatching(/^[0-9a-f]{1,70}$/),
        fc.boolean(),
        (scope, names, signature, spaced) => {
          const sep = spaced ? ', ' : ',';
          const header = `AWS4-HMAC-SHA256 Credential=${scope.join('/')}${sep}SignedHeaders=${names.join(';')}${sep}Signature=${signature}`;
          const fast = parseAuthorization(header, true);
          // A trailing comma is ignored by the field parser but does not match the fast path's pattern.
          const slow = parseAuthorization(`${header},`, true);
          expect(fast).not.toBeInstanceOf(ServiceError);
          expect(fast).toEqual(slow);
          expect(fast).toMatchObject({
            accessKeyId: scope[0],
            scopeDate: scope[1],
            scopeRegion: scope[2],
            scopeService: scope[3],
            scopeTerminator: scope[4],
            signedHeaders: names,
            signature,
          });
        },
      ),
    );
  });

  it('still reports a missing X-Amz-Date for a well-formed header', () => {
    const header =
      'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/sagemaker/aws4_request, SignedHeaders=host;x-amz-date, Signature=' +
      'a'.repeat(64);
    const result = parseAuthorization(header, false);
    expect(result).toBeInstanceOf(ServiceError);
    expect((result as ServiceError).message).toContain("requires existence of either a 'X-Amz-Date' or a 'Date' header");
  });
});
