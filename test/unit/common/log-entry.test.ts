import { describe, expect, it } from 'vitest';
import { redactHeaders } from '../../../src/common/log/entry.ts';

const SCOPE = 'AWS4-HMAC-SHA256 Credential=AKIAHBCOMPOSERDEMO01/20260101/us-east-1/sagemaker/aws4_request, SignedHeaders=host;x-amz-date';

describe('redactHeaders', () => {
  it('redacts the whole signature, hex or not, and keeps the rest of Authorization', () => {
    for (const signature of ['0123456789abcdef'.repeat(4), 'not-hex/SIG+value==', 'abcXYZ123', 'deadbeef"$(x)ü']) {
      const { authorization } = redactHeaders({ Authorization: `${SCOPE}, Signature=${signature}` });
      expect(authorization).toBe(`${SCOPE}, Signature=REDACTED`);
    }
  });

  it('stops at the next comma, so parameters after the signature survive', () => {
    expect(redactHeaders({ authorization: 'AWS4-HMAC-SHA256 Signature=xyz/123, SignedHeaders=host' }).authorization).toBe(
      'AWS4-HMAC-SHA256 Signature=REDACTED, SignedHeaders=host',
    );
  });

  it('redacts the security token and keeps other headers, names in lower case', () => {
    expect(
      redactHeaders({ 'X-Amz-Security-Token': 'FwoGZXIvYXdzEJr', Host: 'localhost', 'x-skip': undefined, accept: ['a', 'b'] }),
    ).toEqual({ 'x-amz-security-token': 'REDACTED', host: 'localhost', accept: 'a, b' });
  });
});
