/**
 * `heartbeat replay --expect … --report …` as a user runs it (the built CLI), against embedded endpoints
 * started in this process: a capture recorded against a healthy endpoint (the history export, its HAR,
 * the endpoint's own capture) replayed against one that fails every 4th request finds exactly the items
 * the fault changed; --expect 2xx; JUnit reports valid against junit-10.xsd; JSON reports; curl and aws
 * command files; reports written when stopped with Ctrl+C; bad flags.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitAwsCli, emitCurl } from '../../src/common/formats/export-shell.ts';
import { startEndpoint, type RunningEndpoint } from '../../src/node/endpoint/index.ts';
import { junitSchemaProblems, junitXPath } from '../fixtures/junit/schema.ts';
import { heartbeat, historyText, isolatedEnv } from './heartbeat-run.ts';

const ITEMS = 24;
const INVALID = new Set([5, 11, 18]);
const device = (i: number) => (INVALID.has(i) ? `-dev-${i}` : `dev-${i}`);
const payload = (i: number) => ({ AgentVersion: '1.0', DeviceName: device(i), DeviceFleetName: 'fleet-x' });

interface Failure {
  source: string;
  device?: string;
  changes?: string[];
  expected: string;
}
interface JsonSummary {
  items: number;
  ok: number;
  failed: number;
  stopped: boolean;
  skipped?: number;
  expect?: unknown;
  expectation?: { met: number; notMet: number; notCompared: number };
  expectationFailures?: Failure[];
}

describe('replay --expect and --report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hb-replay-expect-'));
  const at = (name: string) => join(dir, name);
  let healthy: RunningEndpoint;
  /** An environment whose --local is `endpoint`. */
  const envFor = (endpoint: RunningEndpoint) => isolatedEnv({ HEARTBEAT_LOCAL_URL: endpoint.url });

  beforeAll(async () => {
    // Record: the payloads sent one at a time to a healthy endpoint that keeps its own capture too.
    const recording = await startEndpoint({ capturePath: at('endpoint-capture.jsonl') });
    const env = envFor(recording);
    writeFileSync(at('payloads.ndjson'), Array.from({ length: ITEMS }, (_, i) => JSON.stringify(payload(i + 1))).join('\n') + '\n');
    const sent = await heartbeat(['replay', at('payloads.ndjson'), '--local', '--concurrency', '1'], env);
    expect(sent.code, sent.stderr).toBe(1); // the three invalid payloads
    expect((await heartbeat(['history', '--export', 'jsonl', at('history.jsonl')], env)).code).toBe(0);
    expect((await heartbeat(['history', '--export', 'har', at('history.har')], env)).code).toBe(0);
    await recording.close();
    healthy = await startEndpoint();
  });
  afterAll(() => healthy.close());

  it('--expect recorded lists exactly the items whose outcome fault injection changed', async () => {
    const faulty = await startEndpoint({ faults: { failEveryNth: 4 } });
    try {
      // The capture's items in file order; the endpoint fails every 4th valid request (faults come after validation).
      const requests = readFileSync(at('history.jsonl'), 'utf8')
        .split('\n')
        .filter((l) => l.includes('"type":"request"'))
        .map((l) => (JSON.parse(JSON.parse(l).request.body) as { DeviceName: string }).DeviceName);
      expect(requests).toHaveLength(ITEMS);
      const valid = requests.filter((d) => !d.startsWith('-'));
      const changed = valid.filter((_, i) => (i + 1) % 4 === 0);
      expect(changed.length).toBe(Math.floor((ITEMS - INVALID.size) / 4));

      const run = await heartbeat(
        [
          'replay',
          at('history.jsonl'),
          '--local',
          '--expect',
          'recorded',
          '--max-attempts',
          '1',
          '--concurrency',
          '1',
          '--output',
          'json',
          '--report',
          `junit:${at('faulty.xml')}`,
          '--report',
          `json:${at('faulty.json')}`,
        ],
        envFor(faulty),
      );
      expect(run.code, run.stderr).toBe(1);
      expect(faulty.admin.stats().faultsInjected).toBe(changed.length);
      const summary = JSON.parse(run.stdout) as JsonSummary;
      expect(summary.expectation).toEqual({ met: ITEMS - changed.length, notMet: changed.length, notCompared: 0 });
      expect(summary.expectationFailures!.map((f) => f.device)).toEqual(changed);
      for (const f of summary.expectationFailures!) {
        expect(f.source).toMatch(/history\.jsonl:\d+$/);
        expect(f.changes).toEqual(['status 200 → 500', 'error type none → InternalServiceException']);
      }
      // The invalid payloads failed again as recorded: met, though their sends failed.
      expect(summary.failed).toBe(INVALID.size + changed.length);

      const xml = readFileSync(at('faulty.xml'), 'utf8');
      expect(junitSchemaProblems(xml)).toBe('');
      expect(junitXPath(xml, '/testsuites/@tests')).toBe(String(ITEMS));
      expect(junitXPath(xml, '/testsuites/@failures')).toBe(String(changed.length));
      expect(junitXPath(xml, 'count(//testcase[failure])')).toBe(String(changed.length));
      for (const d of changed)
        expect(junitXPath(xml, `//testcase[failure and contains(@name, ' ${d}')]/failure/@type`)).toBe('ExpectationNotMet');

      const report = JSON.parse(readFileSync(at('faulty.json'), 'utf8')) as {
        summary: { items: number; differs: number; same: number; expectationFailed: number; passed: boolean };
        items: Array<{ device: string; passed: boolean; historyId?: string; recorded?: unknown; comparison?: { same: boolean } }>;
      };
      expect(report.summary).toMatchObject({
        items: ITEMS,
        same: ITEMS - changed.length,
        differs: changed.length,
        expectationFailed: changed.length,
        passed: false,
      });
      expect(report.items.filter((i) => !i.passed).map((i) => i.device)).toEqual(changed);
      expect(report.items.every((i) => i.recorded && i.comparison && i.historyId)).toBe(true);
    } finally {
      await faulty.close();
    }
  });

  it('the text summary names each item not as expected with its FILE:LINE and what changed', async () => {
    const faulty = await startEndpoint({ faults: { failEveryNth: 10 } });
    try {
      const run = await heartbeat(
        ['replay', at('history.jsonl'), '--local', '--expect', 'recorded', '--max-attempts', '1', '--concurrency', '1'],
        envFor(faulty),
      );
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(`Expected the recorded outcome: ${ITEMS - 2} met, 2 not.`);
      expect(run.stdout).toMatch(
        /Not as expected:\n {2}\S+history\.jsonl:\d+ {2}SendHeartbeat dev-\d+: status 200 → 500; error type none → InternalServiceException\n/,
      );
    } finally {
      await faulty.close();
    }
  });

  it('--expect recorded over the endpoint capture and the HAR export: all as recorded, exit 0', async () => {
    for (const file of ['endpoint-capture.jsonl', 'history.har']) {
      const run = await heartbeat(['replay', at(file), '--local', '--expect', 'recorded', '--output', 'json'], envFor(healthy));
      expect(run.code, `${file}: ${run.stdout}${run.stderr}`).toBe(0);
      const summary = JSON.parse(run.stdout) as JsonSummary;
      expect(summary).toMatchObject({ items: ITEMS, ok: ITEMS - INVALID.size, failed: INVALID.size });
      expect(summary.expectation).toEqual({ met: ITEMS, notMet: 0, notCompared: 0 });
    }
  });

  it('--expect 2xx: the items that were not 2xx; an all-2xx input exits 0', async () => {
    const run = await heartbeat(['replay', at('history.jsonl'), '--local', '--expect', '2xx', '--output', 'json'], envFor(healthy));
    expect(run.code).toBe(1);
    const summary = JSON.parse(run.stdout) as JsonSummary;
    expect(summary.expectationFailures!.map((f) => f.device).sort()).toEqual([...INVALID].map(device).sort());
    expect(summary.expectationFailures![0]!.expected).toBe('a 2xx status');
    const text = await heartbeat(['replay', at('history.jsonl'), '--local', '--expect', '2xx'], envFor(healthy));
    expect(text.stdout).toMatch(
      / {2}\S+history\.jsonl:\d+ {2}SendHeartbeat -dev-5: expected a 2xx status, got 400 ValidationException \(1 validation error/,
    );

    writeFileSync(at('valid.ndjson'), [1, 2, 3].map((i) => JSON.stringify(payload(i))).join('\n') + '\n');
    const ok = await heartbeat(['replay', at('valid.ndjson'), '--local', '--expect', '2xx'], envFor(healthy));
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toContain('Expected a 2xx status: 3 met, 0 not.');
    // Nothing recorded in plain payloads: not compared, and said so.
    const none = await heartbeat(['replay', at('valid.ndjson'), '--local', '--expect', 'recorded'], envFor(healthy));
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('3 met, 0 not; 3 without a recorded outcome (not compared).');
    expect(none.stdout).toContain('No item held a recorded outcome');
    // A status: the invalid ones are the 400s.
    const status = await heartbeat(['replay', at('history.jsonl'), '--local', '--expect', '400', '--output', 'json'], envFor(healthy));
    expect((JSON.parse(status.stdout) as JsonSummary).expectation).toMatchObject({ met: INVALID.size, notMet: ITEMS - INVALID.size });
  });

  it('curl and aws command files are replayed; without --expect, the JUnit report fails the failed sends', async () => {
    const docs = [1, 2, 5].map(payload);
    writeFileSync(at('cmds.curl'), docs.map((d) => emitCurl(d, { endpointUrl: healthy.url })).join(''));
    writeFileSync(at('cmds.sh'), docs.map((d) => emitAwsCli(d, { endpointUrl: healthy.url, region: 'us-east-1' })).join(''));
    for (const file of ['cmds.curl', 'cmds.sh']) {
      const report = at(`${file}.xml`);
      const run = await heartbeat(['replay', at(file), '--local', '--output', 'json', '--report', `junit:${report}`], envFor(healthy));
      expect(run.code, `${file}: ${run.stdout}${run.stderr}`).toBe(1);
      expect(JSON.parse(run.stdout)).toMatchObject({ items: 3, ok: 2, failed: 1, failedByType: { ValidationException: 1 } });
      const xml = readFileSync(report, 'utf8');
      expect(junitSchemaProblems(xml)).toBe('');
      expect(junitXPath(xml, '//testcase[failure]/@name')).toMatch(new RegExp(`${file.replace('.', '\\.')}:\\d+ SendHeartbeat -dev-5$`));
      expect(junitXPath(xml, '//failure/@type')).toBe('ValidationException');
    }
    // --format overrides detection: the same commands under a name that says nothing.
    writeFileSync(at('commands.txt'), readFileSync(at('cmds.curl')));
    const run = await heartbeat(
      ['replay', at('commands.txt'), '--local', '--format', 'curl', '--expect', '2xx', '--output', 'json'],
      envFor(healthy),
    );
    expect((JSON.parse(run.stdout) as JsonSummary).expectation).toEqual({ met: 2, notMet: 1, notCompared: 0 });
  });

  it('JSON lines report: one line per item with its results', async () => {
    const run = await heartbeat(
      ['replay', at('history.har'), '--local', '--expect', 'recorded', '--report', `jsonl:${at('r.jsonl')}`],
      envFor(healthy),
    );
    expect(run.code).toBe(0);
    const lines = readFileSync(at('r.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(ITEMS);
    expect(lines[0]).toMatchObject({
      source: expect.stringMatching(/history\.har:\d+$/),
      operation: 'SendHeartbeat',
      outcome: { kind: expect.any(String) },
      recorded: { kind: expect.any(String) },
      comparison: { same: true, changes: [] },
      passed: true,
      attempts: 1,
      historyId: expect.any(String),
    });
  });

  it('writes the reports when stopped with Ctrl+C (exit 130)', async () => {
    const slow = await startEndpoint({ faults: { latencyMs: 150 } });
    try {
      const env = envFor(slow);
      writeFileSync(at('many.ndjson'), Array.from({ length: 400 }, (_, i) => JSON.stringify(payload(100 + i))).join('\n') + '\n');
      const child = spawn(
        process.execPath,
        [
          'bin/heartbeat.js',
          'replay',
          at('many.ndjson'),
          '--local',
          '--concurrency',
          '2',
          '--expect',
          '2xx',
          '--output',
          'json',
          '--report',
          `junit:${at('stopped.xml')}`,
          '--report',
          `json:${at('stopped.json')}`,
        ],
        { env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      for (let waited = 0; (historyText(env.HEARTBEAT_HISTORY_DIR!).match(/"type":"outcome"/g) ?? []).length < 6; waited += 50) {
        if (waited > 15_000) throw new Error('no send finished');
        await new Promise((r) => setTimeout(r, 50));
      }
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      const summary = JSON.parse(stdout) as JsonSummary;
      expect(summary.stopped).toBe(true);
      const report = JSON.parse(readFileSync(at('stopped.json'), 'utf8')) as {
        summary: { stopped: boolean; items: number };
        items: unknown[];
      };
      expect(report.summary.stopped).toBe(true);
      expect(report.items.length).toBe(summary.items);
      expect(report.items.length).toBeGreaterThanOrEqual(6);
      expect(report.items.length).toBeLessThan(400);
      const xml = readFileSync(at('stopped.xml'), 'utf8');
      expect(junitSchemaProblems(xml)).toBe('');
      expect(junitXPath(xml, '//property[@name="stopped"]/@value')).toBe('true');
    } finally {
      await slow.close();
    }
  });

  it('refuses bad flags before sending anything, in one sentence', async () => {
    const env = envFor(healthy);
    const cases: Array<[string[], RegExp]> = [
      [['--expect', '4xx'], /^--expect must be recorded, 2xx or an HTTP status such as 400, not "4xx"\.$/],
      [['--report', 'xml:r.xml'], /^--report must be FORMAT:FILE with FORMAT junit, json, jsonl/],
      [['--report', 'junit:'], /^--report must be FORMAT:FILE/],
      [['--report', `junit:${join(dir, 'no-such-folder', 'r.xml')}`], /^Cannot write the junit report to .*: the folder .* does not exist/],
      [['--report', `json:${dir}`], /^Cannot write the json report to .*: it is a folder\.$/],
      [['--report', 'json:a.json', '--report', 'junit:a.json'], /^Two reports would be written to a\.json/],
      [['--format', 'xml'], /^--format must be one of ndjson, history-jsonl/],
      [['--dry-run', '--expect', '2xx'], /^--dry-run sends nothing/],
    ];
    const before = healthy.admin.stats().received;
    for (const [flags, message] of cases) {
      const run = await heartbeat(['replay', at('valid.ndjson'), '--local', ...flags], env);
      expect(run.code, flags.join(' ')).toBe(2);
      expect(run.stderr.trim().replace(/^heartbeat: /, '')).toMatch(message);
    }
    expect(healthy.admin.stats().received).toBe(before);
    expect(existsSync(join(dir, 'a.json'))).toBe(false);
  });
});
