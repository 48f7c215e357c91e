// @vitest-environment jsdom
/**
 * The fleet run's HTML report (src/common/fleet/report-html.ts): one self-contained document, read back
 * with jsdom's DOMParser (as HTML, and as XHTML for well-formedness): the summary's numbers, the tables with their
 * header scopes, the plans' stages and timelines, the failures, the charts with their labels, every
 * string from the input escaped, no script, no resource and no URL but the run's target.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  MAX_CHART_POINTS,
  MAX_FAILURE_ROWS,
  esc,
  renderRunReport,
  type RunReportInput,
  type RunSeries,
} from '../../../src/common/fleet/report-html.ts';
import type { FleetRunSummary } from '../../../src/common/fleet/summary.ts';
import type { DeploymentPlan, DeploymentPlanStatus } from '../../../src/common/endpoint-fleet-types.ts';
import { DeploymentPlans, deploymentPlanProblem } from '../../../src/node/endpoint/deployment-plans.ts';

const EVIL_DEVICE = '<script>alert("pwned")</script>';
const EVIL_STAGE = '<img src=x onerror=alert(1)>';
const TARGET = 'http://127.0.0.1:8787';
const START = Date.UTC(2026, 10, 30, 7, 30, 24);

/** A run of the rollout example as `heartbeat fleet run --output json` printed it, with some throttling added. */
function summary(over: Partial<FleetRunSummary> = {}): FleetRunSummary & { unregisteredDevices?: string[] } {
  return {
    elapsedMs: 30_001,
    devices: 40,
    registered: 39,
    unregistered: 1,
    offline: 2,
    deploying: 0,
    inFlight: 0,
    ratePerSecond: 21,
    operations: {
      SendHeartbeat: {
        sent: 602,
        ok: 590,
        failed: 12,
        failedByType: { ThrottlingException: 9, 'transport:ECONNRESET': 3 },
        p50Ms: 1.1,
        p99Ms: 11.07,
      },
      GetDeviceRegistration: { sent: 48, ok: 39, failed: 9, failedByType: { ResourceNotFoundException: 9 }, p50Ms: 1.14, p99Ms: 12.81 },
      GetDeployments: { sent: 360, ok: 360, failed: 0, failedByType: {}, p50Ms: 1.1, p99Ms: 6.53 },
    },
    lag: { p50Ms: 0.7, p99Ms: 5.15, maxMs: 23.48 },
    deployments: { applied: 20, succeeded: 13, failed: 7 },
    scenario: 'rollout-demo',
    seed: 42,
    target: { kind: 'local', url: TARGET, region: 'us-east-1' },
    startedAt: new Date(START).toISOString(),
    stopped: false,
    totals: { sent: 1010, ok: 989, failed: 21 },
    runLog: '/home/me/.heartbeat/fleet-runs/rollout-demo-2026-11-30T07-30-24.ndjson',
    unregisteredDevices: [EVIL_DEVICE],
    ...over,
  };
}

/** The rollout example's plan as the endpoint reports it once stage 2 failed (results recorded by the endpoint's own code). */
function failedPlan(): DeploymentPlanStatus {
  const plan = parse(readFileSync('examples/fleet-rollout-plan.yaml', 'utf8')) as DeploymentPlan;
  expect(deploymentPlanProblem(plan)).toBeUndefined();
  const names = Array.from({ length: 40 }, (_, i) => `aisle-cam-${String(i + 1).padStart(2, '0')}`);
  let now = START + 5000;
  const plans = new DeploymentPlans({ devicesOf: () => names, now: () => new Date(now) });
  plans.create({ ...plan, stages: [{ name: EVIL_STAGE, percent: 10 }, ...plan.stages.slice(1)] });
  const report = (device: string, ok: boolean) => {
    now += 250;
    plans.recordResult(
      'aisle-cams',
      device,
      ok
        ? { DeploymentName: plan.name, DeploymentStatus: 'SUCCESS' }
        : { DeploymentName: plan.name, DeploymentStatus: 'FAIL', DeploymentStatusMessage: 'The deployment failed and was rolled back.' },
      new Date(now),
    );
  };
  names.slice(0, 4).forEach((d, i) => report(d, i !== 2));
  names.slice(4, 20).forEach((d, i) => report(d, i % 3 !== 0));
  const status = plans.get(plan.name)!;
  expect(status.status).toBe('failed');
  return status;
}

function series(n = 30): RunSeries {
  const t = Array.from({ length: n }, (_, i) => i * 1000);
  return {
    t,
    heartbeatsPerSecond: t.map((_, i) => (i === 0 ? 0 : 20 + (i % 3))),
    accepted: t.map((_, i) => (i === 0 ? 0 : 33 - (i % 4))),
    rejected: t.map((_, i) => (i % 10 === 5 ? 4 : 0)),
    p50: t.map(() => 1.1),
    p99: t.map((_, i) => 6 + (i % 7)),
  };
}

const failures = [
  { device: 'aisle-cam-07', operation: 'SendHeartbeat', errorType: 'ThrottlingException', count: 5 },
  { device: EVIL_DEVICE, operation: 'GetDeviceRegistration', errorType: 'ResourceNotFoundException', count: 9 },
  { device: 'aisle-cam-12', operation: 'SendHeartbeat', errorType: 'transport:ECONNRESET & <more>', count: 3 },
];

function input(over: Partial<RunReportInput> = {}): RunReportInput {
  return { summary: summary(), series: series(), plans: [failedPlan()], failures, generatedAt: '2026-11-30T07:31:00.000Z', ...over };
}

const documentOf = (html: string) => new DOMParser().parseFromString(html, 'text/html');
/** Parsed as XHTML, the strict XML parser's errors (a parsererror element) or none. */
const xmlErrors = (html: string) => {
  const xml = new DOMParser().parseFromString(html, 'application/xhtml+xml');
  return [...xml.getElementsByTagName('parsererror')].map((e) => e.textContent);
};
const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
/** The dt → dd pairs of the definition lists under an element. */
const facts = (el: Element) =>
  Object.fromEntries([...el.querySelectorAll('dl > div')].map((d) => [text(d.querySelector('dt')), text(d.querySelector('dd'))]));
const rows = (table: Element) => [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => text(c)));

describe('renderRunReport', () => {
  const html = renderRunReport(input());
  const doc = documentOf(html);

  it('is one well-formed document: HTML with lang and a title, and well-formed XML too', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(doc.documentElement.getAttribute('lang')).toBe('en');
    expect(doc.title).toBe('Fleet run report: rollout-demo');
    expect(xmlErrors(html)).toEqual([]);
    expect(xmlErrors('<p>a<br>b</p>')).toHaveLength(1); // the check can fail
    expect(renderRunReport(input())).toBe(html); // deterministic
  });

  it('has headings for every part, in order', () => {
    expect(text(doc.querySelector('h1'))).toBe('Fleet run report: rollout-demo');
    expect([...doc.querySelectorAll('h2')].map((h) => text(h))).toEqual([
      'Totals',
      'Requests by operation',
      'Schedule lag',
      'Devices',
      'Deployments',
      'Failures',
      'Charts',
    ]);
    for (const s of doc.querySelectorAll('section')) expect(doc.getElementById(s.getAttribute('aria-labelledby')!)).not.toBeNull();
  });

  it('says what ran where and when: scenario, seed, target, start, elapsed, run log', () => {
    expect(facts(doc.querySelector('header')!)).toEqual({
      Scenario: 'rollout-demo',
      Seed: '42',
      Target: `local: ${TARGET} (us-east-1)`,
      Started: '2026-11-30 07:30:24 UTC',
      Elapsed: '30 s',
      'Run log': '/home/me/.heartbeat/fleet-runs/rollout-demo-2026-11-30T07-30-24.ndjson',
      'Report made': '2026-11-30 07:31:00 UTC',
    });
    expect(doc.querySelector('header time')!.getAttribute('datetime')).toBe('2026-11-30T07:30:24.000Z');
    const stopped = documentOf(renderRunReport(input({ summary: summary({ stopped: true, elapsedMs: 3_725_400 }) })));
    expect(facts(stopped.querySelector('header')!).Elapsed).toBe('1 h 02 min 05 s (stopped before its duration)');
  });

  it('holds the totals, the per-operation table with failures by type and latencies, lag and devices', () => {
    expect(facts(doc.getElementById('totals')!.parentElement!)).toEqual({
      'Requests sent': '1,010',
      Succeeded: '989',
      Failed: '21',
      'Success rate': '97.9%',
      'Heartbeats accepted': '590',
      'Heartbeats per second (mean)': '19.7',
    });
    const table = doc.querySelector('#operations ~ .table-wrap table')!;
    expect(rows(table)).toEqual([
      ['SendHeartbeat', '602', '590', '12', 'ThrottlingException 9, transport:ECONNRESET 3', '1.1 ms', '11.1 ms'],
      ['GetDeviceRegistration', '48', '39', '9', 'ResourceNotFoundException 9', '1.14 ms', '12.8 ms'],
      ['GetDeployments', '360', '360', '0', '—', '1.1 ms', '6.53 ms'],
    ]);
    expect([...table.querySelectorAll('tfoot tr')].map((tr) => [...tr.children].map((c) => text(c)))[0]!.slice(0, 5)).toEqual([
      'All',
      '1,010',
      '989',
      '21',
      'ResourceNotFoundException 9, ThrottlingException 9, transport:ECONNRESET 3',
    ]);
    expect(facts(doc.getElementById('lag')!.parentElement!)).toEqual({ p50: '0.7 ms', p99: '5.15 ms', Largest: '23.5 ms' });
    const devices = doc.getElementById('devices')!.parentElement!;
    expect(facts(devices)).toEqual({
      Devices: '40',
      Registered: '39',
      'Unregistered (refused, kept asking)': '1',
      'Offline at the end': '2',
      'Deploying at the end': '0',
    });
    expect([...devices.querySelectorAll('ul.names li')].map((li) => li.textContent)).toEqual([EVIL_DEVICE]);
  });

  it('every table has a caption, column headers with scope="col" and row headers with scope="row"', () => {
    const tables = [...doc.querySelectorAll('table')];
    expect(tables).toHaveLength(3); // operations, the plan's stages, failures
    for (const t of tables) {
      expect(text(t.querySelector('caption'))).not.toBe('');
      for (const th of t.querySelectorAll('thead th')) expect(th.getAttribute('scope')).toBe('col');
      for (const th of t.querySelectorAll('tbody th, tfoot th')) expect(th.getAttribute('scope')).toBe('row');
      for (const tr of t.querySelectorAll('tbody tr')) expect(tr.firstElementChild!.tagName).toBe('TH');
    }
  });

  it('shows deployments and each plan with its stages and their outcome, and its timeline as a list', () => {
    const section = doc.getElementById('deployments')!.parentElement!;
    expect(facts(section.querySelector(':scope > dl')!.parentElement!)).toMatchObject({
      'Deployments applied by devices': '20',
      Succeeded: '13',
      Failed: '7',
    });
    const plan = section.querySelector('article.plan')!;
    expect(facts(plan)).toMatchObject({
      Status: 'failed',
      Model: 'aisle-detector · s3://models/aisle-detector-3.1.tar.gz',
      Fleet: 'aisle-cams',
      'On failure': 'ROLLBACK_ON_FAILURE',
      'Success threshold': '75%',
      'Stage fails above': '25% failed',
      'Devices that reported': '20',
    });
    expect(text(plan.querySelector('h3'))).toBe('Plan aisle-detector-3-1: aisle-detector 3.1 to fleet aisle-cams');
    expect(rows(plan.querySelector('table')!).map((r) => r.slice(0, 7))).toEqual([
      [EVIL_STAGE, '10% of the fleet', 'succeeded', '4', '3', '1', '0'],
      ['half', '50% of the fleet', 'failed', '16', '10', '6', '0'],
      ['all', '100% of the fleet', 'pending', '0', '0', '0', '0'],
    ]);
    const events = [...plan.querySelectorAll('ol.timeline li')];
    expect(events.map((li) => text(li).replace(/^\S+ \S+ UTC /, ''))).toEqual([
      'Plan created for fleet aisle-cams: 3 stages.',
      `Stage ${EVIL_STAGE} started with 4 devices.`,
      `Stage ${EVIL_STAGE} succeeded: 3 of 4 devices reported SUCCESS.`,
      'Stage half started with 16 devices.',
      'Stage half failed: 5 of 16 devices reported FAIL.',
      'Plan failed at stage half; later stages will not start and it is no longer handed out.',
    ]);
    expect(events.every((li) => li.querySelector('time[datetime]'))).toBe(true);
  });

  it('lists the failures, most first', () => {
    const table = doc.querySelector('#failures ~ .table-wrap table')!;
    expect(rows(table)).toEqual([
      [EVIL_DEVICE, 'GetDeviceRegistration', 'ResourceNotFoundException', '9'],
      ['aisle-cam-07', 'SendHeartbeat', 'ThrottlingException', '5'],
      ['aisle-cam-12', 'SendHeartbeat', 'transport:ECONNRESET & <more>', '3'],
    ]);
  });

  it('escapes every string from the input: a <script> in a device name is text, never markup', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain(esc(EVIL_DEVICE));
    expect(esc(EVIL_DEVICE)).toBe('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;');
    expect(doc.querySelector('script')).toBeNull();
    expect(doc.querySelector('img')).toBeNull();
    expect(doc.querySelectorAll('[onerror]')).toHaveLength(0);
    expect([...doc.querySelectorAll('td, th, li')].some((c) => text(c) === EVIL_DEVICE)).toBe(true);
    const odd = renderRunReport(
      input({
        summary: summary({ scenario: `"q' & <b>x</b>\u0000\ud800`, target: { kind: 'url', url: `${TARGET}/?a=1&b="<i>"`, region: 'r' } }),
      }),
    );
    expect(odd).not.toMatch(/<b>|<i>/);
    const oddDoc = documentOf(odd);
    expect(oddDoc.title).toBe(`Fleet run report: "q' & <b>x</b>\ufffd\ufffd`);
    expect(text(oddDoc.querySelector('header .url'))).toBe(`${TARGET}/?a=1&b="<i>"`);
    expect(xmlErrors(odd)).toEqual([]);
  });

  it('is self-contained: no script, no resource, no URL but the run target as text', () => {
    expect(html).not.toMatch(/<(script|link|iframe|img|object|embed|base|image|use|foreignObject)\b/i);
    expect(
      [...doc.querySelectorAll('*')].filter((el) => el.hasAttribute('src') || el.hasAttribute('href') || el.hasAttribute('xlink:href')),
    ).toEqual([]);
    expect(doc.querySelectorAll('style')).toHaveLength(1);
    expect(doc.querySelector('style')!.textContent).not.toMatch(/@import|url\(/i);
    expect(doc.querySelectorAll('[style]')).toHaveLength(0);
    const urls = html.match(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>)]+/gi) ?? [];
    expect(new Set(urls.filter((u) => /^https?:/i.test(u)))).toEqual(new Set([TARGET]));
    expect(text(doc.querySelector('header .url'))).toBe(TARGET);
  });

  it('is light and dark through prefers-color-scheme, and light when printed', () => {
    const style = doc.querySelector('style')!.textContent!;
    expect(style).toContain('color-scheme: light dark');
    expect(style).toMatch(/@media \(prefers-color-scheme: dark\) \{\s*:root \{/);
    expect(style).toMatch(/@media print \{\s*:root \{\s*color-scheme: light;/);
    expect(style.indexOf('@media print')).toBeGreaterThan(style.indexOf('prefers-color-scheme: dark'));
  });

  it('draws the charts as inline SVG with role="img" and an aria-label summarising each', () => {
    const svgs = [...doc.querySelectorAll('#charts ~ figure svg')];
    expect(svgs).toHaveLength(3);
    for (const svg of svgs) {
      expect(svg.getAttribute('role')).toBe('img');
      expect(svg.querySelector('title')!.textContent).toBe(svg.getAttribute('aria-label'));
      expect(svg.querySelectorAll('line.axis')).toHaveLength(2);
      expect(svg.querySelectorAll('text.tick').length).toBeGreaterThan(6);
    }
    expect(svgs.map((s) => s.getAttribute('aria-label'))).toEqual([
      'Heartbeats per second over 29 s (30 samples): heartbeats/s from 0 to 22 per second, mean 20.3 per second.',
      'Accepted and rejected requests per second over 29 s (30 samples): accepted from 0 to 33 per second, mean 30.5 per second; rejected from 0 to 4 per second, mean 0.4 per second.',
      'Latency over 29 s (30 samples): p50 from 1.1 to 1.1 ms, mean 1.1 ms; p99 from 6 to 12 ms, mean 8.83 ms.',
    ]);
    const [rate, answers, latency] = svgs;
    expect(rate!.querySelectorAll('polyline')).toHaveLength(1);
    expect(rate!.querySelector('polyline')!.getAttribute('points')!.split(' ')).toHaveLength(30);
    expect(answers!.querySelectorAll('polyline.line-2')).toHaveLength(1);
    expect(latency!.querySelectorAll('polyline')).toHaveLength(2);
    expect([...doc.querySelectorAll('ul.legend li')].map((li) => text(li))).toEqual(['accepted', 'rejected', 'p50', 'p99']);
  });

  it('buckets long series, breaks lines at missing values, and reads series up to the shortest array', () => {
    const long = series(10_000);
    long.p99[5000] = Number.NaN;
    long.rejected = long.rejected.slice(0, 4000);
    const d = documentOf(renderRunReport(input({ series: long })));
    const [rate, answers, latency] = [...d.querySelectorAll('svg')];
    const points = (p: Element) => p.getAttribute('points')!.split(' ').length;
    expect(points(rate!.querySelector('polyline')!)).toBeLessThanOrEqual(MAX_CHART_POINTS);
    expect(answers!.getAttribute('aria-label')).toContain('(4,000 samples)');
    expect(latency!.querySelectorAll('polyline.line-2').length).toBe(1); // the bucket of the NaN still has values
    const gap = series(30);
    gap.p99[10] = Number.NaN;
    const g = documentOf(renderRunReport(input({ series: gap })));
    expect(g.querySelectorAll('svg')[2]!.querySelectorAll('polyline.line-2')).toHaveLength(2);
  });

  it('without series, plans or failures it says so; a huge failures list is cut', () => {
    const bare = documentOf(renderRunReport({ summary: summary({ runLog: undefined }), generatedAt: '2026-11-30T07:31:00Z' }));
    expect(bare.querySelector('svg')).toBeNull();
    expect(text(bare.getElementById('charts')!.parentElement)).toContain('No time series recorded for this report.');
    expect(text(bare.getElementById('failures')!.parentElement)).toContain('Not recorded for this report.');
    expect(text(bare.getElementById('deployments')!.parentElement)).toContain('No deployment plans on the endpoint.');
    const none = documentOf(renderRunReport(input({ failures: [] })));
    expect(text(none.getElementById('failures')!.parentElement)).toContain('No request failed.');
    const many = Array.from({ length: MAX_FAILURE_ROWS + 20 }, (_, i) => ({
      device: `cam-${i}`,
      operation: 'SendHeartbeat',
      errorType: 'ThrottlingException',
      count: i + 1,
    }));
    const cut = documentOf(renderRunReport(input({ failures: many })));
    const table = cut.querySelector('#failures ~ .table-wrap table')!;
    expect(table.querySelectorAll('tbody tr')).toHaveLength(MAX_FAILURE_ROWS);
    expect(rows(table)[0]).toEqual([`cam-${MAX_FAILURE_ROWS + 19}`, 'SendHeartbeat', 'ThrottlingException', '520']);
    expect(text(cut.getElementById('failures')!.parentElement)).toContain('… and 20 more rows (210 failed requests), the smallest counts.');
  });
});
