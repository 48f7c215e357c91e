/** Issue 14 item 16b: userinfo in an endpoint URL (http://user:pass@host) is refused when a target is resolved, and never written to the history by a send. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS } from '../../../src/common/demo.ts';
import type { LogLine } from '../../../src/common/log/entry.ts';
import { startEndpoint, type RunningEndpoint } from '../../../src/node/endpoint/index.ts';
import { createEngine, send } from '../../../src/node/engine/send.ts';
import { resolveTarget, TargetError, withoutUserinfo } from '../../../src/node/targets/target.ts';
import { createTransport, type Transport } from '../../../src/node/transport/dispatcher.ts';

const BODY = JSON.stringify({ AgentVersion: '1.0', DeviceName: 'dev-1', DeviceFleetName: 'fleet-1' });
let endpoint: RunningEndpoint;
let transport: Transport;
beforeAll(async () => {
  endpoint = await startEndpoint({});
  transport = await createTransport({ connectTimeoutMs: 2000, readTimeoutMs: 2000, env: {} });
});
afterAll(async () => {
  await transport.close();
  await endpoint.close();
});

describe('userinfo in endpoint URLs (issue 14 item 16b)', () => {
  it('resolving a custom or local target with user:pass@ is refused with a sentence that does not repeat the password', () => {
    for (const kind of ['url', 'local'] as const) {
      let error: unknown;
      try {
        resolveTarget({ kind, url: 'http://alice:s3cretPW@127.0.0.1:9/base', region: 'us-east-1' });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TargetError);
      const message = (error as Error).message;
      expect(message).toMatch(/^The endpoint URL http:\/\/127\.0\.0\.1:9\/base must not carry a user name or password/);
      expect(message).not.toContain('s3cretPW');
      expect(message).not.toContain('alice');
    }
    expect(() => resolveTarget({ kind: 'url', url: 'http://alice@127.0.0.1:9', region: 'us-east-1' })).toThrow(TargetError);
    expect(resolveTarget({ kind: 'url', url: 'http://127.0.0.1:9/a@b', region: 'us-east-1' }).url).toBe('http://127.0.0.1:9/a@b');
    expect(withoutUserinfo('https://u:p@example.com:8443/x?y=1')).toBe('https://example.com:8443/x?y=1');
    expect(withoutUserinfo('not a url @ all')).toBe('not a url @ all');
  });

  it('a send to a target that still carries userinfo (an older history entry re-sent) records and sends the URL without it', async () => {
    const lines: LogLine[] = [];
    const engine = createEngine({ transport, history: { record: async (line) => void lines.push(line) } });
    const withUserinfo = endpoint.url.replace('http://', 'http://alice:s3cretPW@');
    const result = await send(engine, {
      operation: 'SendHeartbeat',
      body: BODY,
      target: { kind: 'url', url: withUserinfo, region: endpoint.region },
      credentials: DEMO_CREDENTIALS,
    }).response;
    expect(result.outcome.kind).toBe('success');
    expect(result.request.url).toBe(`${endpoint.url}/SendHeartbeat`);
    const written = JSON.stringify(lines);
    expect(lines.map((l) => l.type)).toEqual(['request', 'outcome']);
    expect(written).not.toContain('s3cretPW');
    expect(written).not.toContain('alice');
    expect(lines[0]).toMatchObject({ target: { url: endpoint.url } });
  });
});
