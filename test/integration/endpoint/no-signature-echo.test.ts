/** Issue 14 item 16a: no endpoint error message or capture line ever quotes a request's signature, however malformed its Authorization header. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEndpoint, type RunningEndpoint } from '../../../src/node/endpoint/index.ts';
import { rawRequest, signed } from './helpers.ts';

const capturePath = join(mkdtempSync(join(tmpdir(), 'hb-nosig-')), 'capture.jsonl');
let endpoint: RunningEndpoint;
beforeAll(async () => {
  endpoint = await startEndpoint({ capturePath });
});
afterAll(() => endpoint.close());

describe('signatures are never echoed (issue 14 item 16a)', () => {
  it.each([
    ['a stray ", Junk" part', (auth: string) => `${auth}, Junk`],
    ['an unknown key=value part', (auth: string) => `${auth}, Junk=1`],
    ['the signature without its equal sign', (auth: string) => auth.replace('Signature=', 'Signature ')],
    ['no space after the algorithm', (auth: string) => auth.replace('AWS4-HMAC-SHA256 ', 'AWS4-HMAC-SHA256,')],
    ['a five-part credential missing', (auth: string) => auth.replace(/Credential=[^,]*/, 'Credential=AKID/x')],
  ])('%s: the 400 and the capture line leave the signature out', async (_what, mangle) => {
    const s = await signed(endpoint.url);
    const signature = /Signature=([0-9a-f]{64})/.exec(s.headers.authorization)![1];
    const res = await rawRequest(endpoint.url, {
      path: s.path,
      headers: { ...s.headers, authorization: mangle(s.headers.authorization) },
      body: s.body,
    });
    expect(res.status).toBe(400);
    expect(res.headers['x-amzn-errortype']).toBe('IncompleteSignatureException');
    expect(res.body).not.toContain(signature);
    expect(res.body).not.toContain(signature.slice(0, 16));
    const event = endpoint.admin.recentHeartbeats(1)[0];
    expect(JSON.stringify(event)).not.toContain(signature.slice(0, 16));
    await new Promise((r) => setTimeout(r, 50));
    const captured = readFileSync(capturePath, 'utf8');
    expect(captured).toContain(event.requestId);
    expect(captured).not.toContain(signature.slice(0, 16));
  });
});
