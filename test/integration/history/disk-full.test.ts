/**
 * A full disk under a long-running store, for real: a small tmpfs (mounting one needs root; where the
 * machine does not allow it, the test is skipped and says why). A failed append is refused with one
 * sentence, leaves no partial line, and the same store writes again once space returns.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { LOG_VERSION, type RequestLine } from '../../../src/common/log/entry.ts';
import { HistoryStore } from '../../../src/node/history/store.ts';

const mountPoint = mkdtempSync(join(tmpdir(), 'hb-full-'));
let mounted = false;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mountPoint], { stdio: 'ignore' });
  mounted = true;
} catch {
  console.warn('disk-full test skipped: this machine does not allow mounting a small tmpfs (it needs root).');
}

afterAll(() => {
  if (mounted) execFileSync('umount', [mountPoint]);
});

const line = (i: number): RequestLine => ({
  v: LOG_VERSION,
  type: 'request',
  id: `full-${i}`,
  time: new Date().toISOString(),
  operation: 'SendHeartbeat',
  target: { kind: 'local', url: 'http://127.0.0.1:1', region: 'us-east-1' },
  request: {
    method: 'POST',
    url: 'http://127.0.0.1:1/',
    headers: {},
    body: JSON.stringify({ AgentVersion: '1', DeviceName: `full-${i}`, DeviceFleetName: 'f', pad: 'x'.repeat(1500) }),
  },
});

it.skipIf(!mounted)('refuses appends on ENOSPC with one sentence, leaves no partial line, and recovers when space returns', async () => {
  const dir = join(mountPoint, 'history');
  const filler = join(mountPoint, 'filler');
  writeFileSync(filler, Buffer.alloc(64 * 1024));
  const store = await HistoryStore.open(dir, { follow: false });
  let written = 0;
  let failure: Error | undefined;
  for (let i = 0; i < 400 && !failure; i++) {
    try {
      await store.record(line(i), true);
      written++;
    } catch (error) {
      failure = error as Error;
    }
  }
  expect(failure?.message).toBe(`Cannot write the history log in ${dir} (the disk is full); free disk space or set HEARTBEAT_HISTORY_DIR.`);
  const text = () =>
    readdirSync(dir)
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('');
  expect(text().endsWith('\n')).toBe(true); // no partial line left behind
  expect(text().split('\n').filter(Boolean)).toHaveLength(written);
  // Still full: refused again, cleanly.
  await expect(store.record(line(1000), true)).rejects.toThrow(/the disk is full/);
  rmSync(filler); // space returns
  await store.record(line(1001), true);
  expect(store.index.size).toBe(written + 1);
  expect((await store.index.get('full-1001'))?.request?.id).toBe('full-1001');
  expect(store.index.skipped).toEqual({ malformed: 0, torn: 0 });
  await store.close();
});
