import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clock, progressLine } from '../../../src/cli/progress.ts';
import { readPayloads, totalBytes, type ReadPosition } from '../../../src/node/engine/payloads.ts';

describe('the replay progress line', () => {
  it('is a plain counter when the input size is unknown (a pipe)', () => {
    expect(progressLine({ done: 12, ok: 10, failed: 2, elapsedMs: 5000 })).toBe('12 items · 10 ok · 2 failed');
  });

  it('is a bar with percentage and ETA when the fraction of input read is known', () => {
    // A quarter through after 10 s: 30 s to go.
    expect(progressLine({ done: 250, ok: 249, failed: 1, fraction: 0.25, elapsedMs: 10_000 })).toBe(
      '[######------------------]  25% · 250 items · 249 ok · 1 failed · ETA 0:30',
    );
    expect(progressLine({ done: 3, ok: 3, failed: 0, fraction: 0.1, elapsedMs: 400_000 })).toMatch(
      /^\[##-{22}\] {2}10% · .* · ETA 1:00:00$/,
    );
    expect(progressLine({ done: 1000, ok: 1000, failed: 0, fraction: 1, elapsedMs: 42_000 })).toBe(
      '[########################] 100% · 1000 items · 1000 ok · 0 failed · ETA 0:00',
    );
  });

  it('has no ETA before anything is through, and clamps odd fractions', () => {
    expect(progressLine({ done: 0, ok: 0, failed: 0, fraction: 0, elapsedMs: 0 })).toBe(
      '[------------------------]   0% · 0 items · 0 ok · 0 failed · ETA --:--',
    );
    expect(progressLine({ done: 5, ok: 5, failed: 0, fraction: 1.7, elapsedMs: 1000 })).toMatch(/^\[#{24}\] 100% /);
    expect(progressLine({ done: 5, ok: 5, failed: 0, fraction: NaN, elapsedMs: 1000 })).toBe('5 items · 5 ok · 0 failed');
  });

  it('writes durations as m:ss or h:mm:ss', () => {
    expect([clock(0), clock(59.6), clock(75), clock(3725), clock(-3)]).toEqual(['0:00', '1:00', '1:15', '1:02:05', '0:00']);
  });
});

describe('the read position the bar uses', () => {
  it('advances with each payload read and ends at the total size of the files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hb-progress-'));
    const a = join(dir, 'a.ndjson');
    const b = join(dir, 'b.ndjson');
    const line = (i: number) => JSON.stringify({ AgentVersion: '1', DeviceName: `d-${i}`, DeviceFleetName: 'f' });
    writeFileSync(a, `${line(1)}\n${line(2)}\n${line(3)}\n`);
    writeFileSync(b, `${line(4)}\r\n${line(5)}\r\n`);
    const total = await totalBytes([a, b]);
    expect(total).toBe(Buffer.byteLength(`${line(1)}\n${line(2)}\n${line(3)}\n`) + Buffer.byteLength(`${line(4)}\r\n${line(5)}\r\n`));
    const position: ReadPosition = { bytes: 0 };
    const seen: number[] = [];
    for await (const _item of readPayloads([a, b], 'SendHeartbeat', position)) seen.push(position.bytes);
    expect(seen).toHaveLength(5);
    expect(seen[0]).toBe(line(1).length + 1);
    expect([...seen].sort((x, y) => x - y)).toEqual(seen);
    expect(position.bytes).toBe(total);
  });

  it('has no total for something that is not a regular file', async () => {
    expect(await totalBytes(['/dev/null'])).toBeUndefined();
  });
});
