/**
 * The HeartbeatApi contract: one suite, run against every host (in-process, the loopback HTTP host,
 * Electron IPC), so they expose the same API with the same results. Each host under test runs the
 * real services: the embedded endpoint on 127.0.0.1, real signing, a real history folder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeartbeatApi, HostEvent, SendRequest } from '../../src/common/api.ts';
import { DEMO_CREDENTIALS } from '../../src/common/demo.ts';

export interface ApiUnderTest {
  api: HeartbeatApi;
  close(): Promise<void>;
}

const body = (device: string, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ AgentVersion: '1.0', DeviceName: device, DeviceFleetName: 'contract-fleet', ...extra }, null, 2);

let counter = 0;
const request = (device: string, overrides: Partial<SendRequest> = {}): SendRequest => ({
  id: `contract-${Date.now()}-${counter++}`,
  operation: 'SendHeartbeat',
  body: body(device),
  target: { kind: 'local' },
  credentials: { kind: 'demo' },
  ...overrides,
});

async function until<T>(read: () => T | undefined, what: string, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function describeHeartbeatApiContract(name: string, make: () => Promise<ApiUnderTest>): void {
  describe(`HeartbeatApi contract: ${name}`, () => {
    let host: ApiUnderTest;
    let api: HeartbeatApi;
    const events: HostEvent[] = [];
    let unsubscribe: () => void;

    beforeAll(async () => {
      host = await make();
      api = host.api;
      unsubscribe = api.subscribe((event) => events.push(event));
    });
    afterAll(async () => {
      unsubscribe?.();
      await host?.close();
    });

    it('sends a valid heartbeat to the embedded endpoint: 200, a history entry, a report without secrets', async () => {
      const result = await api.send(request('cam-contract-1'));
      expect(result.outcome).toMatchObject({ kind: 'success', status: 200 });
      expect(result.attempts).toHaveLength(1);
      expect(result.historyId).toMatch(/^[0-9a-f-]{36}$/);
      expect(result.signature?.credentialScope).toMatch(/^\d{8}\/us-east-1\/sagemaker\/aws4_request$/);
      expect(result.signature?.accessKeyIdLast4).toBe(DEMO_CREDENTIALS.accessKeyId.slice(-4));
      const everything = JSON.stringify(result);
      expect(everything).not.toContain(DEMO_CREDENTIALS.secretAccessKey);
      expect(everything).not.toContain(DEMO_CREDENTIALS.accessKeyId);
      expect(everything).not.toMatch(/Signature=[0-9a-f]{64}/);
      const entry = await api.history.get(result.historyId);
      expect(entry).toMatchObject({
        id: result.historyId,
        status: 'success',
        httpStatus: 200,
        deviceName: 'cam-contract-1',
        fleetName: 'contract-fleet',
        target: { kind: 'local' },
      });
      expect(entry?.kind !== 'run' && entry?.request.body).toBe(body('cam-contract-1'));
      expect(JSON.stringify(entry)).not.toContain(DEMO_CREDENTIALS.accessKeyId);
    });

    it('refuses an invalid payload with a sentence at its path, and sends it anyway when asked', async () => {
      const bad = request('-bad-');
      await expect(api.send(bad)).rejects.toThrow(/not valid: \/DeviceName/);
      const anyway = await api.send({ ...request('-bad-'), options: { skipValidation: true, maxAttempts: 1 } });
      expect(anyway.outcome).toMatchObject({ kind: 'service-error', status: 400, errorType: 'ValidationException' });
      expect(anyway.outcome.kind === 'service-error' && anyway.outcome.message).toMatch(/deviceName/);
    });

    it('refuses malformed arguments with a sentence, not a stack', async () => {
      await expect(api.send({ ...request('cam-x'), target: { kind: 'moon' } as never })).rejects.toThrow(/local, region or url|target/);
      await expect(api.send({ ...request('cam-x'), target: { kind: 'url', url: 'ftp://x', region: 'us-east-1' } })).rejects.toThrow(
        /http:\/\/ or https:\/\//,
      );
    });

    it('range-checks per-send options like the settings: timeoutMs 100–600000, maxAttempts 1–10, whole numbers', async () => {
      const started = Date.now();
      const refusals: [Record<string, unknown>, RegExp][] = [
        [{ maxAttempts: 1e9 }, /request\.options\.maxAttempts must be a whole number from 1 to 10\./],
        [{ maxAttempts: 0 }, /maxAttempts must be a whole number from 1 to 10/],
        [{ maxAttempts: 11 }, /maxAttempts must be a whole number from 1 to 10/],
        [{ maxAttempts: 2.5 }, /maxAttempts must be a whole number from 1 to 10/],
        [{ maxAttempts: '3' }, /maxAttempts must be a whole number from 1 to 10/],
        [{ timeoutMs: -1 }, /request\.options\.timeoutMs must be a whole number of milliseconds from 100 to 600000\./],
        [{ timeoutMs: 99 }, /timeoutMs must be a whole number of milliseconds from 100 to 600000/],
        [{ timeoutMs: 600_001 }, /timeoutMs must be a whole number of milliseconds from 100 to 600000/],
        [{ timeoutMs: 1000.5 }, /timeoutMs must be a whole number of milliseconds from 100 to 600000/],
      ];
      const before = (await api.history.query({})).total;
      for (const [options, message] of refusals)
        await expect(
          api.send(request('cam-range', { options: options as SendRequest['options'] })),
          JSON.stringify(options),
        ).rejects.toThrow(message);
      // Refused before anything was sent: no history entry, and no time spent retrying.
      expect((await api.history.query({})).total).toBe(before);
      expect(Date.now() - started).toBeLessThan(5000);
      const ok = await api.send(request('cam-range', { options: { timeoutMs: 600_000, maxAttempts: 10 } }));
      expect(ok.outcome).toMatchObject({ kind: 'success', status: 200 });
      const edge = await api.send(request('cam-range', { options: { timeoutMs: 100, maxAttempts: 1 } }));
      expect(edge.outcome.kind).not.toBe('cancelled');
      await expect(api.replay(ok.historyId, { options: { maxAttempts: 1e9 } })).rejects.toThrow(
        /overrides\.options\.maxAttempts must be a whole number from 1 to 10\./,
      );
      await expect(api.replay(ok.historyId, { options: { timeoutMs: -1 } })).rejects.toThrow(
        /overrides\.options\.timeoutMs must be a whole number of milliseconds/,
      );
    });

    it('signs with manual keys held by the host; a wrong secret gets InvalidSignatureException and a diagnosis', async () => {
      const held = await api.credentials.registerManualKeys({
        accessKeyId: DEMO_CREDENTIALS.accessKeyId,
        secretAccessKey: 'not-the-right-secret-at-all-0000',
      });
      expect(held.accessKeyIdLast4).toBe(DEMO_CREDENTIALS.accessKeyId.slice(-4));
      expect(JSON.stringify(held)).not.toContain('not-the-right-secret');
      const result = await api.send(request('cam-contract-2', { credentials: { kind: 'manual', id: held.id } }));
      expect(result.outcome).toMatchObject({ kind: 'service-error', status: 403, errorType: 'InvalidSignatureException', retried: false });
      expect(result.outcome.kind === 'service-error' && result.outcome.diagnosis).toMatch(/secret/i);
      await expect(api.send(request('cam-x', { credentials: { kind: 'manual', id: 'no-such-keys' } }))).rejects.toThrow(/enter them again/);
      await expect(api.credentials.registerManualKeys({ accessKeyId: 'short', secretAccessKey: 'x' })).rejects.toThrow(/access key id/);

      // The same key id again replaces the secret under the same id: the right secret now signs.
      const fixed = await api.credentials.registerManualKeys({ ...DEMO_CREDENTIALS });
      expect(fixed.id).toBe(held.id);
      expect(await api.credentials.manualKeys()).toEqual([{ id: held.id, accessKeyIdLast4: DEMO_CREDENTIALS.accessKeyId.slice(-4) }]);
      expect((await api.send(request('cam-contract-2b', { credentials: { kind: 'manual', id: held.id } }))).outcome).toMatchObject({
        kind: 'success',
        status: 200,
      });
      expect(await api.credentials.forgetManualKeys(held.id)).toBe(true);
      expect(await api.credentials.forgetManualKeys(held.id)).toBe(false);
      expect(await api.credentials.manualKeys()).toEqual([]);
      await expect(api.send(request('cam-x', { credentials: { kind: 'manual', id: held.id } }))).rejects.toThrow(/enter them again/);
    });

    it('searches, filters and pages the history; replays and exports an entry', async () => {
      for (let i = 0; i < 3; i++) await api.send(request(`cam-page-${i}`));
      const byText = await api.history.query({ text: 'CAM-PAGE' });
      expect(byText.total).toBe(3);
      expect(byText.entries.map((e) => e.deviceName)).toEqual(['cam-page-2', 'cam-page-1', 'cam-page-0']);
      const first = await api.history.query({ text: 'cam-page', limit: 2 });
      expect(first.entries).toHaveLength(2);
      expect(first.nextCursor).toBeDefined();
      const second = await api.history.query({ text: 'cam-page', limit: 2, cursor: first.nextCursor! });
      expect(second.entries.map((e) => e.deviceName)).toEqual(['cam-page-0']);
      expect(second.nextCursor).toBeUndefined();
      expect((await api.history.query({ device: 'cam-page-1' })).entries.map((e) => e.deviceName)).toEqual(['cam-page-1']);
      expect((await api.history.query({ fleet: 'nobody' })).total).toBe(0);
      const errors = await api.history.query({ status: 'error' });
      expect(errors.total).toBeGreaterThanOrEqual(2);
      expect(errors.entries.every((e) => e.status === 'error')).toBe(true);
      expect((await api.history.query({ from: new Date(Date.now() + 60_000).toISOString() })).total).toBe(0);
      await expect(api.history.query({ from: 'yesterday-ish' })).rejects.toThrow(/ISO 8601/);

      const original = byText.entries[0]!;
      const replayed = await api.replay(original.id);
      expect(replayed.outcome).toMatchObject({ kind: 'success', status: 200 });
      expect(replayed.historyId).not.toBe(original.id);
      const again = await api.history.get(replayed.historyId);
      expect(again?.kind !== 'run' && again?.request.body).toBe(body('cam-page-2'));
      await expect(api.replay('no-such-entry')).rejects.toThrow(/no longer exists/);

      const jsonl = await api.history.export({ text: 'cam-page' }, 'jsonl');
      expect(jsonl.fileName).toMatch(/\.jsonl$/);
      const lines = jsonl.text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string });
      expect(lines.filter((l) => l.type === 'request')).toHaveLength(4);
      expect(lines.filter((l) => l.type === 'outcome')).toHaveLength(4);
      const har = JSON.parse((await api.history.export({ text: 'cam-page' }, 'har')).text) as {
        log: { version: string; entries: unknown[] };
      };
      expect(har.log.version).toBe('1.2');
      expect(har.log.entries).toHaveLength(4);
    });

    it('streams history and endpoint events to subscribers', async () => {
      const result = await api.send(request('cam-events'));
      await until(
        () => events.find((e) => e.type === 'history' && e.entry.id === result.historyId && e.entry.status === 'success'),
        'the history event',
      );
      await until(
        () => events.find((e) => e.type === 'endpoint-activity' && e.activities.some((a) => a.deviceName === 'cam-events')),
        'the endpoint event',
      );
    });

    it('runs a fleet: start against the embedded endpoint, state, devices, fleet events, the summary as a history entry', async () => {
      const scenario = `name: contract-fleet-run
seed: 3
fleets:
  - name: contract-fleet-run
    devices: 3
    deviceName: 'cf-{n}'
    interval: 200ms
`;
      await expect(api.fleet.start({ scenario: 'fleets: 1', target: { kind: 'local' }, credentials: { kind: 'demo' } })).rejects.toThrow(
        /The scenario is not valid/,
      );
      const started = await api.fleet.start({ scenario, target: { kind: 'local' }, credentials: { kind: 'demo' }, durationMs: 800 });
      expect(started).toMatchObject({ state: 'running', scenario: 'contract-fleet-run' });
      const done = await until(
        () => events.find((e) => e.type === 'fleet' && e.state.id === started.id && e.state.state === 'finished'),
        'the finished fleet event',
      );
      expect(done.type === 'fleet' && done.devices).toBe('hhh');
      const state = await api.fleet.state();
      expect(state?.summary).toMatchObject({ scenario: 'contract-fleet-run', totals: { failed: 0 } });
      expect(state?.summary?.operations.SendHeartbeat.ok).toBeGreaterThanOrEqual(9);
      expect((await api.fleet.devices()).map((d) => d.name)).toEqual(['cf-1', 'cf-2', 'cf-3']);
      // Recorded once the run has ended: the entry is listed within a moment.
      let entries = (await api.history.query({ text: 'contract-fleet-run' })).entries;
      for (let i = 0; i < 50 && entries.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        entries = (await api.history.query({ text: 'contract-fleet-run' })).entries;
      }
      expect(entries[0]).toMatchObject({ kind: 'run' });
    });

    it('controls the embedded endpoint: faults, info, reset', async () => {
      const info = await api.endpoint.info();
      expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(info.accessKeyId).toBe(DEMO_CREDENTIALS.accessKeyId);
      expect(info).toMatchObject({ region: 'us-east-1', anyRegion: true });
      expect(info.counts.received).toBeGreaterThan(0);
      expect(info.recent.length).toBeGreaterThan(0);
      const faulty = await api.endpoint.setFaults({ errorRate: 1, errorType: 'ThrottlingException', retryAfterSeconds: 0 });
      expect(faulty.faults).toMatchObject({ errorRate: 1, errorType: 'ThrottlingException' });
      const throttled = await api.send(request('cam-throttled', { options: { maxAttempts: 2 } }));
      expect(throttled.outcome).toMatchObject({ kind: 'service-error', status: 429, errorType: 'ThrottlingException', retried: true });
      expect(throttled.attempts).toHaveLength(2);
      await expect(api.endpoint.setFaults({ errorRate: 2 })).rejects.toThrow(/errorRate/);
      await api.endpoint.setFaults({});
      const reset = await api.endpoint.reset();
      expect(reset.counts).toMatchObject({ received: 0, devices: 0 });
      expect(reset.faults.errorRate).toBe(0);
    });

    it('opens a request the embedded endpoint answered by its request id: in full, the signature redacted', async () => {
      const result = await api.send(request('cam-contract-exchange'));
      const id = result.outcome.kind === 'success' ? result.outcome.requestId : undefined;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      const exchange = await api.endpoint.exchange(id!);
      expect(exchange).toMatchObject({
        id,
        operation: 'SendHeartbeat',
        deviceName: 'cam-contract-exchange',
        request: { method: 'POST', path: '/SendHeartbeat', body: body('cam-contract-exchange') },
        response: { status: 200, body: '' },
        verdict: { status: 200, requestId: id },
      });
      expect(exchange!.request.headers.authorization).toMatch(/, Signature=REDACTED$/);
      expect(JSON.stringify(exchange)).not.toMatch(/Signature=[0-9a-f]/);
      expect(JSON.stringify(exchange)).not.toContain(DEMO_CREDENTIALS.secretAccessKey);
      expect(await api.endpoint.exchange('not-a-kept-request')).toBeUndefined();
    });

    it('cancels a send in flight', async () => {
      await api.endpoint.setFaults({ latencyMs: 5000 });
      const started = Date.now();
      const pending = api.send(request('cam-slow', { id: 'contract-cancel-me' }));
      await new Promise((r) => setTimeout(r, 200));
      expect(await api.cancel('contract-cancel-me')).toBe(true);
      const result = await pending;
      expect(result.outcome.kind).toBe('cancelled');
      expect(Date.now() - started).toBeLessThan(4000);
      expect(await api.cancel('contract-cancel-me')).toBe(false);
      await api.endpoint.setFaults({});
    });

    it('cancels a replay in flight by the send id its caller chose', async () => {
      const original = await api.send(request('cam-replay-cancel', { id: 'contract-replay-source' }));
      await api.endpoint.setFaults({ latencyMs: 5000 });
      const started = Date.now();
      const pending = api.replay(original.historyId, { sendId: 'contract-replay-cancel-me' });
      await new Promise((r) => setTimeout(r, 200));
      expect(await api.cancel('contract-replay-cancel-me')).toBe(true);
      const result = await pending;
      expect(result.outcome.kind).toBe('cancelled');
      expect(Date.now() - started).toBeLessThan(4000);
      await api.endpoint.setFaults({});
    });

    it('keeps host settings, checking each field', async () => {
      const before = await api.settings.get();
      expect(before.maxAttempts).toBe(3);
      const after = await api.settings.update({ maxAttempts: 1, timeoutMs: 5000 });
      expect(after).toMatchObject({ maxAttempts: 1, timeoutMs: 5000, historyDir: before.historyDir });
      expect(await api.settings.get()).toEqual(after);
      await expect(api.settings.update({ maxAttempts: 0 })).rejects.toThrow(/Max attempts/);
      await expect(api.settings.update({ caBundle: 'relative.pem' })).rejects.toThrow(/absolute path/);
      await expect(api.settings.update({ caBundle: '/no/such/bundle.pem' })).rejects.toThrow(/CA bundle/);
      await api.settings.update({ maxAttempts: 3, timeoutMs: before.timeoutMs });
    });

    it('lists profiles by name only, and clears what a query selects, then everything', async () => {
      const profiles = await api.credentials.profiles();
      expect(profiles).toContain('contract-profile');
      const before = (await api.history.query({})).total;
      const errors = (await api.history.query({ status: 'error' })).total;
      expect(errors).toBeGreaterThan(0);
      expect((await api.history.clear({ query: { status: 'error' } })).removed).toBe(errors);
      expect((await api.history.query({ status: 'error' })).total).toBe(0);
      expect((await api.history.query({})).total).toBe(before - errors);
      // A missing selection never means everything.
      await expect(api.history.clear(undefined as never)).rejects.toThrow(/all: true/);
      await expect(api.history.clear({} as never)).rejects.toThrow(/all: true/);
      const { removed } = await api.history.clear({ all: true });
      expect(removed).toBe(before - errors);
      expect((await api.history.query({})).total).toBe(0);
      const after = await api.send(request('cam-after-clear'));
      expect((await api.history.query({})).entries.map((e) => e.id)).toEqual([after.historyId]);
    });
  });
}
