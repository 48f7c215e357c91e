/**
 * The embedded endpoint's activity reaches the app batched: a flood of requests is at most five
 * `endpoint-activity` events a second per subscriber, each with at most the live list's 50 requests and
 * how many were left out, so a 5,000-device fleet does not swamp a window (issue 18).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostEvent } from '../../../src/common/api.ts';
import { ACTIVITY_BATCH_LIMIT, ACTIVITY_BATCH_MS } from '../../../src/node/host/endpoint-service.ts';
import { startHostFixture, type HostFixture } from '../../contract/host-fixture.ts';
import { sendSigned } from '../endpoint/helpers.ts';

describe('endpoint activity events', () => {
  let fixture: HostFixture;
  beforeAll(async () => {
    fixture = await startHostFixture();
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('a flood of 1,000 requests comes as a few batches: every request counted, at most 50 listed a batch', async () => {
    const batches: Array<{ at: number; listed: number; skipped: number }> = [];
    const stop = fixture.services.api.subscribe((e: HostEvent) => {
      if (e.type === 'endpoint-activity') batches.push({ at: performance.now(), listed: e.activities.length, skipped: e.skipped });
    });
    const url = fixture.services.endpoint.url;
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < 1000) {
          const i = next++;
          const answer = await sendSigned(url, {
            body: JSON.stringify({ AgentVersion: '1.0', DeviceName: `flood-${i % 50}`, DeviceFleetName: 'flood' }),
          });
          expect(answer.status).toBe(200);
        }
      }),
    );
    await new Promise((r) => setTimeout(r, 250));
    stop();
    expect(batches.reduce((n, b) => n + b.listed + b.skipped, 0)).toBe(1000);
    expect(batches.every((b) => b.listed <= ACTIVITY_BATCH_LIMIT)).toBe(true);
    expect(batches.some((b) => b.skipped > 0)).toBe(true);
    // At most one batch per ACTIVITY_BATCH_MS (timer jitter allowed).
    const gaps = batches.slice(1).map((b, i) => b.at - batches[i]!.at);
    expect(gaps.every((g) => g >= ACTIVITY_BATCH_MS - 10)).toBe(true);
  }, 30_000);
});
