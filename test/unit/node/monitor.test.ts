/** The endpoint monitor: the latest heartbeats (a ring of 200, newest last), counters and percentiles. */
import { describe, expect, it } from 'vitest';
import { Monitor, type EndpointEvent } from '../../../src/node/endpoint/monitor.ts';

const event = (i: number, operation: EndpointEvent['operation'] = 'SendHeartbeat', status = 200): EndpointEvent => ({
  id: `e${i}`,
  requestId: `r${i}`,
  time: new Date(i * 1000).toISOString(),
  operation,
  status,
  handlingMs: i % 10,
});

describe('Monitor', () => {
  it('keeps the latest 200 heartbeats in order, newest last, and nothing else', () => {
    const monitor = new Monitor();
    expect(monitor.recentHeartbeats()).toEqual([]);
    for (let i = 0; i < 3; i++) monitor.record(event(i));
    expect(monitor.recentHeartbeats().map((e) => e.id)).toEqual(['e0', 'e1', 'e2']);
    expect(monitor.recentHeartbeats(2).map((e) => e.id)).toEqual(['e1', 'e2']);
    for (let i = 3; i < 450; i++) monitor.record(event(i, i % 7 === 0 ? 'GetDeployments' : 'SendHeartbeat'));
    const recent = monitor.recentHeartbeats();
    expect(recent).toHaveLength(200);
    expect(recent.at(-1)!.id).toBe('e449');
    expect(recent.every((e) => e.operation === 'SendHeartbeat')).toBe(true);
    const numbers = recent.map((e) => Number(e.id.slice(1)));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(monitor.recentHeartbeats(5).map((e) => e.id)).toEqual(['e444', 'e445', 'e446', 'e447', 'e449']);
    expect(monitor.recentHeartbeats(0)).toEqual([]);
    expect(monitor.recentHeartbeats(10_000)).toHaveLength(200);
  });

  it('counts, splits rejections by reason, and resets', () => {
    const monitor = new Monitor();
    monitor.record(event(1));
    monitor.record({ ...event(2), status: 403, errorType: 'InvalidSignatureException' });
    monitor.record({ ...event(3, 'unknown'), status: 404 });
    expect(monitor.stats()).toMatchObject({ received: 3, accepted: 1, rejected: 2, rejectedByReason: { InvalidSignatureException: 1 } });
    expect(monitor.stats().handlingMs.samples).toBe(3);
    monitor.reset();
    expect(monitor.stats()).toMatchObject({ received: 0, accepted: 0, rejected: 0 });
    expect(monitor.recentHeartbeats()).toEqual([]);
  });
});
