import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestSchema } from '../../../src/common/model/index.ts';
import {
  epochToIso,
  isoToEpoch,
  normalizeTimestamps,
  nowEpoch,
  parseTimestamp,
  relativeToEpoch,
} from '../../../src/common/wire/timestamps.ts';

const NOW = Date.UTC(2026, 10, 22, 7, 48, 23, 500);

describe('timestamps', () => {
  it('converts epoch seconds to ISO 8601 and back', () => {
    expect(epochToIso(0)).toBe('1970-01-01T00:00:00Z');
    expect(epochToIso(1763797703.25)).toBe('2025-11-22T07:48:23.250Z');
    expect(isoToEpoch('2025-11-22T07:48:23.250Z')).toBe(1763797703.25);
    expect(isoToEpoch('2015-01-01')).toBe(1420070400);
    expect(isoToEpoch('2015-01-01T02:00:00+02:00')).toBe(1420070400);
    expect(isoToEpoch('2015-01-01 00:00:00-0130')).toBe(1420070400 + 5400);
  });

  it('rejects what is not a date', () => {
    for (const bad of ['yesterday', '2015-13-01', '2015-02-30', '2015-01-01T25:00:00Z', '01/02/2015', ''])
      expect(isoToEpoch(bad)).toBeUndefined();
    expect(() => epochToIso(Infinity)).toThrow(/not a finite number/);
  });

  it('round-trips any millisecond instant (property)', () => {
    fc.assert(fc.property(fc.integer({ min: -2e12, max: 4e12 }), (ms) => isoToEpoch(epochToIso(ms / 1000)) === ms / 1000));
  });

  it('understands now and relative offsets', () => {
    expect(nowEpoch(NOW)).toBe(Math.floor(NOW / 1000));
    expect(relativeToEpoch('now', NOW)).toBe(nowEpoch(NOW));
    expect(relativeToEpoch('-5m', NOW)).toBe(nowEpoch(NOW) - 300);
    expect(relativeToEpoch('now+2h', NOW)).toBe(nowEpoch(NOW) + 7200);
    expect(relativeToEpoch('1.5d', NOW)).toBe(nowEpoch(NOW) + 129600);
    expect(relativeToEpoch('5 parsecs', NOW)).toBeUndefined();
  });

  it('parses every accepted spelling', () => {
    expect(parseTimestamp(12.5)).toBe(12.5);
    expect(parseTimestamp('1700000000')).toBe(1700000000);
    expect(parseTimestamp('1.7e9')).toBe(1.7e9);
    expect(parseTimestamp('2023-11-14T22:13:20Z')).toBe(1700000000);
    expect(parseTimestamp('-1h', NOW)).toBe(nowEpoch(NOW) - 3600);
    expect(parseTimestamp(true)).toBeUndefined();
    expect(parseTimestamp(NaN)).toBeUndefined();
  });

  it('normalizes the timestamp members of an imported document only', () => {
    const doc = {
      AgentVersion: '2015-01-01',
      AgentMetrics: [{ Timestamp: '2023-11-14T22:13:20Z', Value: 1 }],
      Models: [{ LatestInference: '1700000000', ModelMetrics: [{ Timestamp: 'garbage' }] }],
      DeploymentResult: { DeploymentStartTime: 5 },
    };
    const problems = normalizeTimestamps(requestSchema('SendHeartbeat'), doc);
    expect(doc.AgentVersion).toBe('2015-01-01');
    expect(doc.AgentMetrics[0].Timestamp).toBe(1700000000);
    expect(doc.Models[0].LatestInference).toBe(1700000000);
    expect(doc.DeploymentResult.DeploymentStartTime).toBe(5);
    expect(problems).toEqual([
      { path: '/Models/0/ModelMetrics/0/Timestamp', message: expect.stringMatching(/"garbage" is neither ISO 8601/) },
    ]);
  });
});
