/**
 * The fleet run engine against the real embedded endpoint on 127.0.0.1: 200 devices for 10 s whose
 * endpoint capture agrees with the run's summary and run log; deployments applied, failed and rolled back
 * as the device's DeploymentResults say; unregistered devices; throttling retried.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS } from '../../../src/common/demo.ts';
import { parseScenario, type Scenario } from '../../../src/common/fleet/scenario.ts';
import type { ExchangeLine, TargetRecord } from '../../../src/common/log/entry.ts';
import { startEndpoint, type EndpointOptions } from '../../../src/node/endpoint/index.ts';
import { openRunLog } from '../../../src/node/fleet/run-log.ts';
import { createSendService } from '../../../src/node/services/send-service.ts';
import { createTransport } from '../../../src/node/transport/dispatcher.ts';
import { checkText } from '../../../src/common/validation/check-text.ts';

const dir = mkdtempSync(join(tmpdir(), 'hb-fleet-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function scenario(text: string): Scenario {
  const { scenario, problems } = parseScenario(text);
  expect(problems).toEqual([]);
  return scenario!;
}

async function runAgainst(endpointOptions: EndpointOptions, s: Scenario, runOptions: { durationMs: number; runLog?: string }) {
  const endpoint = await startEndpoint(endpointOptions);
  const transport = await createTransport({ env: {} });
  const sends = createSendService({ transport });
  try {
    const target: TargetRecord = { kind: 'local', url: endpoint.url, region: endpoint.region };
    const runLog = runOptions.runLog ? await openRunLog(runOptions.runLog) : undefined;
    const run = sends.fleet({
      scenario: s,
      target,
      credentials: DEMO_CREDENTIALS,
      durationMs: runOptions.durationMs,
      ...(runLog ? { runLog } : {}),
    });
    const summary = await run.done;
    return { summary, run, devices: endpoint.admin.devices(), stats: endpoint.admin.stats() };
  } finally {
    await sends.close();
    await endpoint.close();
  }
}

describe('fleet run against the embedded endpoint', () => {
  it('200 devices for 10 s: the capture, the run log and the summary agree; deployments fail and roll back per device', async () => {
    const capturePath = join(dir, 'capture.jsonl');
    const runLogPath = join(dir, 'run.ndjson');
    const s = scenario(`
name: agree
seed: 7
fleets:
  - name: yard
    devices: 200
    deviceName: 'yard-{n:03}'
    interval: 1s
    jitter: 10%
    deploymentPoll: 2s
    applyTime: 500ms
    failureRate: 0.3
    agentMetrics:
      - { dimension: agent, name: CpuUtilization, value: { uniform: { min: 0, max: 100 } } }
    models:
      - name: pallet-detector
        version: '2.4'
        metrics:
          - { dimension: model/pallet-detector, name: InferenceCount, value: { counter: { start: 0, rate: 5 } } }
`);
    const deployment = {
      DeploymentName: 'detector-2-5',
      Type: 'Model' as const,
      FailureHandlingPolicy: 'ROLLBACK_ON_FAILURE' as const,
      Definitions: [
        {
          ModelHandle: 'pallet-detector',
          S3Url: 's3://models/pallet-detector-2.5.tar.gz',
          Checksum: { Type: 'SHA1' as const, Sum: 'ab' },
          State: 'DEPLOY' as const,
        },
      ],
    };
    const { summary, run, devices } = await runAgainst(
      { capturePath, config: { fleets: [{ name: 'yard', deployments: [deployment] }] } },
      s,
      { durationMs: 10_000, runLog: runLogPath },
    );

    // Every request answered 2xx, and the counts add up three ways.
    expect(summary.totals.failed).toBe(0);
    expect(summary.stopped).toBe(false);
    const captured = readFileSync(capturePath, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ExchangeLine);
    const logged = readFileSync(runLogPath, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { operation: string; status: number; body: unknown });
    expect(captured.length).toBe(summary.totals.sent);
    expect(logged.length).toBe(summary.totals.sent);
    for (const op of ['SendHeartbeat', 'GetDeviceRegistration', 'GetDeployments'] as const) {
      expect(captured.filter((l) => l.operation === op).length, op).toBe(summary.operations[op].sent);
      expect(logged.filter((l) => l.operation === op).length, op).toBe(summary.operations[op].ok);
    }
    expect(captured.every((l) => l.verdict.status === 200)).toBe(true);
    expect(summary.operations.GetDeviceRegistration.sent).toBe(200); // CacheTTL (3600 s) outlives the run
    // About 10 heartbeats a device; each device's count in the registry matches the capture.
    expect(summary.operations.SendHeartbeat.sent).toBeGreaterThan(200 * 8);
    expect(devices.reduce((n, d) => n + d.counts.heartbeats, 0)).toBe(summary.operations.SendHeartbeat.ok);
    // Each payload is one the model accepts.
    for (const line of captured.slice(0, 400)) expect(checkText(line.request.body, line.operation as 'SendHeartbeat').problems).toEqual([]);

    // Deployments: every device polled at 2 s (+ its stagger), applied for 0.5 s, and reported.
    expect(summary.deployments.applied).toBe(200);
    expect(summary.deployments.succeeded + summary.deployments.failed).toBe(200);
    expect(summary.deployments.failed).toBeGreaterThan(30); // failureRate 0.3 of 200
    expect(summary.deployments.failed).toBeLessThan(90);
    for (const device of devices) {
      const result = device.lastDeploymentResult;
      expect(result?.DeploymentName, device.deviceName).toBe('detector-2-5');
      const model = device.models.find((m) => m.modelName === 'pallet-detector');
      if (result?.DeploymentStatus === 'SUCCESS') {
        expect(model?.modelVersion).toBe('2.5');
        expect(result.DeploymentModels?.[0]).toMatchObject({
          ModelVersion: '2.5',
          DesiredState: 'DEPLOY',
          State: 'DEPLOY',
          Status: 'SUCCESS',
        });
      } else {
        // Rolled back: still on 2.4, the result says why.
        expect(model?.modelVersion).toBe('2.4');
        expect(result?.DeploymentStatus).toBe('FAIL');
        expect(result?.DeploymentModels?.[0]).toMatchObject({ Status: 'FAIL', State: 'DEPLOY', DesiredState: 'DEPLOY' });
        expect(result?.DeploymentModels?.[0]?.StatusReason).toMatch(/Simulated failure/);
      }
      expect(result!.DeploymentEndTime! - result!.DeploymentStartTime!).toBeCloseTo(0.5, 2);
    }
    // The simulator's view agrees with the endpoint's.
    const failedHere = run.devices.filter((d) => d.lastDeployment?.status === 'FAIL').length;
    expect(failedHere).toBe(summary.deployments.failed);
    expect(devices.filter((d) => d.lastDeploymentResult?.DeploymentStatus === 'FAIL').length).toBe(failedHere);
    // Each device's deployment history (the app's device detail) says what the endpoint was told.
    for (const device of devices) {
      const detail = run.detail(device.deviceName)!;
      const result = device.lastDeploymentResult!;
      expect(detail.deployments, device.deviceName).toEqual([
        {
          name: 'detector-2-5',
          status: result.DeploymentStatus,
          rolledBack: result.DeploymentStatus === 'FAIL',
          message: result.DeploymentStatusMessage,
          startedAt: Math.round(result.DeploymentStartTime! * 1000),
          endedAt: Math.round(result.DeploymentEndTime! * 1000),
          models: [
            {
              name: 'pallet-detector',
              version: '2.5',
              desiredState: 'DEPLOY',
              state: 'DEPLOY',
              status: result.DeploymentStatus,
              ...(result.DeploymentStatus === 'FAIL' ? { statusReason: result.DeploymentModels![0]!.StatusReason } : {}),
            },
          ],
          reported: true,
        },
      ]);
      expect(detail.applying).toBeUndefined();
    }
  }, 30_000);

  it('devices the target does not know keep asking with backoff and send no heartbeat; known ones run', async () => {
    const s = scenario(`
name: unknown
seed: 1
fleets:
  - name: f
    devices: 4
    deviceName: 'd-{n}'
    interval: 500ms
    startup: together
`);
    const { summary, run } = await runAgainst(
      {
        autoRegister: false,
        config: {
          devices: [
            { name: 'd-1', fleet: 'f' },
            { name: 'd-2', fleet: 'f' },
          ],
        },
      },
      s,
      { durationMs: 3200 },
    );
    expect(summary.registered).toBe(2);
    expect(summary.unregistered).toBe(2);
    const unregistered = run.devices.filter((d) => d.status(run.elapsedMs()) === 'unregistered').map((d) => d.name);
    expect(unregistered).toEqual(['d-3', 'd-4']);
    // Each refused device asked at 0, 1 s and 3 s (backoff 1 s, 2 s); the known ones asked once.
    expect(summary.operations.GetDeviceRegistration.sent).toBe(2 + 2 * 3);
    // Only the registered devices beat: about 7 each in 3.2 s at 500 ms.
    expect(summary.operations.SendHeartbeat.sent).toBeGreaterThanOrEqual(12);
    expect(summary.operations.SendHeartbeat.sent).toBeLessThanOrEqual(16);
    expect(summary.totals.failed).toBe(0);
  }, 20_000);

  it('a throttling endpoint: requests are retried (standard mode) and what still fails is counted by type', async () => {
    const s = scenario(`
name: throttled
seed: 3
fleets:
  - name: f
    devices: 20
    interval: 200ms
`);
    const runLog = join(dir, 'throttled.ndjson');
    const { summary } = await runAgainst({ faults: { errorRate: 0.3, errorType: 'ThrottlingException' } }, s, { durationMs: 3000, runLog });
    const lines = readFileSync(runLog, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { attempts: number; errorType?: string });
    expect(lines.some((l) => l.attempts > 1)).toBe(true);
    // 0.3³ of the requests fail three times: a few, all throttling.
    const failedTypes = Object.keys(summary.operations.SendHeartbeat.failedByType);
    expect(failedTypes.every((t) => t === 'ThrottlingException')).toBe(true);
    expect(summary.totals.failed).toBe(lines.filter((l) => l.errorType).length);
    expect(summary.totals.failed).toBeLessThan(summary.totals.sent * 0.1);
  }, 20_000);

  it('pause holds the run (nothing sent, its clock still) and resume goes on with wall-clock timestamps', async () => {
    const s = scenario(`
name: paused
seed: 4
fleets:
  - name: f
    devices: 6
    interval: 200ms
    startup: together
    agentMetrics:
      - { dimension: agent, name: CpuUtilization, value: 1 }
`);
    const endpoint = await startEndpoint({});
    const transport = await createTransport({ env: {} });
    const sends = createSendService({ transport });
    const runLog = join(dir, 'paused.ndjson');
    try {
      const run = sends.fleet({
        scenario: s,
        target: { kind: 'local', url: endpoint.url, region: endpoint.region },
        credentials: DEMO_CREDENTIALS,
        durationMs: 1500,
        runLog: await openRunLog(runLog),
      });
      await new Promise((r) => setTimeout(r, 500));
      run.pause();
      expect(run.paused).toBe(true);
      const pausedAt = Date.now();
      const elapsed = run.elapsedMs();
      await new Promise((r) => setTimeout(r, 1000));
      expect(run.elapsedMs()).toBe(elapsed); // the run's clock stood still
      const resumedAt = Date.now();
      run.resume();
      const summary = await run.done;
      expect(summary.totals.failed).toBe(0);
      const lines = readFileSync(runLog, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { time: string; operation: string; body: { AgentMetrics?: Array<{ Timestamp: number }> } });
      // Nothing left in the pause (answers in flight at its start excepted: 50 ms of grace).
      expect(lines.filter((l) => Date.parse(l.time) > pausedAt + 50 && Date.parse(l.time) < resumedAt)).toEqual([]);
      // After it: heartbeats carry the wall clock's time, not the paused schedule's.
      const after = lines.filter((l) => l.operation === 'SendHeartbeat' && Date.parse(l.time) >= resumedAt);
      expect(after.length).toBeGreaterThan(6);
      for (const l of after) expect(Math.abs(l.body.AgentMetrics![0]!.Timestamp * 1000 - Date.parse(l.time))).toBeLessThan(150);
    } finally {
      await sends.close();
      await endpoint.close();
    }
  }, 20_000);
});
