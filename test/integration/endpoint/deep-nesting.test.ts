/** Issue 14 item 10: a member nested ~6,000 levels deep (a 12 KB body) is a 400 with the shared parser's sentence, counted and captured, not a 500. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOO_DEEP_MESSAGE } from '../../../src/common/json/parse.ts';
import { startEndpoint, type RunningEndpoint } from '../../../src/node/endpoint/index.ts';
import { sendSigned } from './helpers.ts';

const capturePath = join(mkdtempSync(join(tmpdir(), 'hb-deep-')), 'capture.jsonl');
let endpoint: RunningEndpoint;
beforeAll(async () => {
  endpoint = await startEndpoint({ capturePath });
});
afterAll(() => endpoint.close());

describe('deep nesting at the endpoint (issue 14 item 10)', () => {
  it('answers 400 SerializationException with the parser sentence, counts it and captures it', async () => {
    const depth = 6000;
    const body = `{"AgentVersion":"1.0","DeviceName":"deep-1","DeviceFleetName":"fleet-a","Models":[{"ModelName":${'['.repeat(depth)}${']'.repeat(depth)}}]}`;
    expect(body.length).toBeGreaterThan(12_000);
    const res = await sendSigned(endpoint.url, { body });
    expect(res.status).toBe(400);
    expect(res.headers['x-amzn-errortype']).toBe('SerializationException');
    const message = String(res.json().message);
    expect(message).toContain(TOO_DEEP_MESSAGE.replace(/\.$/, ''));
    expect(message).toMatch(/^The request body is not valid JSON: .* \(line 1, column \d+\)\.$/);
    const stats = endpoint.admin.stats();
    expect(stats.received).toBe(1);
    expect(stats.rejectedByReason).toEqual({ SerializationException: 1 });
    // The server is fine afterwards.
    expect((await sendSigned(endpoint.url)).status).toBe(200);
    await endpoint.close();
    const lines = readFileSync(capturePath, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0].verdict).toMatchObject({ status: 400, errorType: 'SerializationException', message });
  });
});
