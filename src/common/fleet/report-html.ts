/**
 * A fleet run's report as ONE self-contained HTML file (issue 18's export): it opens offline and prints
 * well. No external resources at all — inline CSS, charts drawn here as inline SVG from the run's series,
 * no scripts — light and dark through `prefers-color-scheme` (printing is always light).
 *
 * What it holds: the scenario, seed, target, start and elapsed time; the totals; per operation sent, ok,
 * failed by error type and p50/p99 latency; schedule lag; devices; deployments and each deployment plan's
 * stages and timeline; the failures table; the charts (heartbeats per second, accepted and rejected per
 * second, latency p50/p99), each with `role="img"` and an `aria-label` summarising it.
 *
 * Every string from the input is escaped (device names, error types, URLs, messages), and the markup is
 * well-formed XML as well as HTML (void elements closed, attributes quoted, only numeric character
 * references), so a strict parser reads it too. Pure: the same input gives the same bytes.
 */
import type { DeploymentPlanStatus } from '../endpoint-fleet-types.ts';
import { modelVersionOfS3Url } from '../endpoint-fleet-types.ts';
import type { FleetRunSummary, OperationStats } from './summary.ts';

/** The run over time: one sample per entry of `t`; the other arrays are read up to the shortest one. */
export interface RunSeries {
  /** Milliseconds since the run started. */
  t: number[];
  /** Heartbeats sent per second at t. */
  heartbeatsPerSecond: number[];
  /** Requests answered 2xx per second at t. */
  accepted: number[];
  /** Requests answered otherwise (or never) per second at t. */
  rejected: number[];
  /** Whole-send latency percentiles at t, milliseconds. */
  p50: number[];
  p99: number[];
}

/** Failed requests of one device, operation and error type. */
export interface RunFailure {
  device: string;
  operation: string;
  errorType: string;
  count: number;
}

export interface RunReportInput {
  /** The run's summary (the CLI's `--output json` adds `unregisteredDevices`, which is shown when present). */
  summary: FleetRunSummary & { unregisteredDevices?: string[] };
  series?: RunSeries;
  plans?: DeploymentPlanStatus[];
  failures?: RunFailure[];
  /** ISO 8601: when the report was made. */
  generatedAt: string;
}

/** At most this many rows of the failures table (the largest counts); the rest are counted below it. */
export const MAX_FAILURE_ROWS = 500;
/** A chart's line has at most this many points (longer series are bucketed, each bucket by its largest value). */
export const MAX_CHART_POINTS = 1000;
/** At most this many names of unregistered devices are listed. */
const MAX_LISTED_DEVICES = 200;

/** The report: one HTML document. */
export function renderRunReport(input: RunReportInput): string {
  const s = input.summary;
  const title = `Fleet run report: ${s.scenario}`;
  const body = [
    `<header>`,
    `<h1>${esc(title)}</h1>`,
    definitionList([
      ['Scenario', esc(s.scenario)],
      ['Seed', esc(String(s.seed))],
      [
        'Target',
        `${esc(s.target.kind)}: <span class="url">${esc(s.target.url)}</span>${s.target.region ? ` (${esc(s.target.region)})` : ''}`,
      ],
      ['Started', timeTag(s.startedAt)],
      ['Elapsed', `${esc(duration(s.elapsedMs))}${s.stopped ? ' (stopped before its duration)' : ''}`],
      ...(s.runLog ? ([['Run log', `<code>${esc(s.runLog)}</code>`]] as Array<[string, string]>) : []),
      ['Report made', timeTag(input.generatedAt)],
    ]),
    `</header>`,
    totalsSection(s),
    operationsSection(s),
    lagSection(s),
    devicesSection(s),
    deploymentsSection(s, input.plans ?? []),
    failuresSection(input.failures),
    chartsSection(input.series),
  ].join('\n');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8" />',
    '<meta name="viewport" content="width=device-width, initial-scale=1" />',
    '<meta name="color-scheme" content="light dark" />',
    `<title>${esc(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

// --- sections ---

function section(id: string, heading: string, content: string): string {
  return `<section aria-labelledby="${id}">\n<h2 id="${id}">${esc(heading)}</h2>\n${content}\n</section>`;
}

function totalsSection(s: FleetRunSummary): string {
  const t = s.totals;
  const beats = s.operations.SendHeartbeat;
  const seconds = s.elapsedMs / 1000;
  const stats: Array<[string, string]> = [
    ['Requests sent', num(t.sent)],
    ['Succeeded', num(t.ok)],
    ['Failed', num(t.failed)],
    ['Success rate', t.sent > 0 ? pct(t.ok / t.sent) : '—'],
    ['Heartbeats accepted', num(beats?.ok ?? 0)],
    ['Heartbeats per second (mean)', seconds > 0 && beats ? num((beats.ok ?? 0) / seconds, 1) : '—'],
  ];
  return section(
    'totals',
    'Totals',
    `<dl class="stats">${stats.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${v}</dd></div>`).join('')}</dl>`,
  );
}

function operationsSection(s: FleetRunSummary): string {
  const rows = Object.entries(s.operations) as Array<[string, OperationStats]>;
  const body = rows.map(
    ([name, o]) =>
      `<tr><th scope="row">${esc(name)}</th><td>${num(o.sent)}</td><td>${num(o.ok)}</td><td>${num(o.failed)}</td>` +
      `<td class="text">${byType(o.failedByType)}</td><td>${ms(o.p50Ms)}</td><td>${ms(o.p99Ms)}</td></tr>`,
  );
  const total = `<tr><th scope="row">All</th><td>${num(s.totals.sent)}</td><td>${num(s.totals.ok)}</td><td>${num(s.totals.failed)}</td><td class="text">${byType(mergedTypes(rows.map(([, o]) => o.failedByType)))}</td><td></td><td></td></tr>`;
  return section(
    'operations',
    'Requests by operation',
    table(
      'Requests per operation: sent, succeeded, failed by error type, and whole-send latency (retries included)',
      ['Operation', 'Sent', 'OK', 'Failed', 'Failed by type', 'p50', 'p99'],
      body,
      [4],
      total,
    ),
  );
}

function lagSection(s: FleetRunSummary): string {
  return section(
    'lag',
    'Schedule lag',
    `<p>How late requests left against their schedule.</p>\n` +
      definitionList([
        ['p50', ms(s.lag.p50Ms)],
        ['p99', ms(s.lag.p99Ms)],
        ['Largest', ms(s.lag.maxMs)],
      ]),
  );
}

function devicesSection(s: FleetRunSummary & { unregisteredDevices?: string[] }): string {
  const list = s.unregisteredDevices ?? [];
  const shown = list.slice(0, MAX_LISTED_DEVICES);
  const names =
    list.length > 0
      ? `\n<h3>Unregistered devices</h3>\n<ul class="names">${shown.map((d) => `<li>${esc(d)}</li>`).join('')}</ul>` +
        (list.length > shown.length ? `\n<p>… and ${num(list.length - shown.length)} more.</p>` : '')
      : '';
  return section(
    'devices',
    'Devices',
    definitionList([
      ['Devices', num(s.devices)],
      ['Registered', num(s.registered)],
      ['Unregistered (refused, kept asking)', num(s.unregistered)],
      ['Offline at the end', num(s.offline)],
      ['Deploying at the end', num(s.deploying)],
    ]) + names,
  );
}

function deploymentsSection(s: FleetRunSummary, plans: DeploymentPlanStatus[]): string {
  const applied = definitionList([
    ['Deployments applied by devices', num(s.deployments.applied)],
    ['Succeeded', num(s.deployments.succeeded)],
    ['Failed', num(s.deployments.failed)],
  ]);
  const planParts = plans.map((p, i) => planSection(p, i));
  return section(
    'deployments',
    'Deployments',
    applied + '\n' + (plans.length > 0 ? planParts.join('\n') : '<p>No deployment plans on the endpoint.</p>'),
  );
}

function planSection(p: DeploymentPlanStatus, index: number): string {
  const id = `plan-${index + 1}`;
  const what =
    p.state === 'UNDEPLOY' ? `remove ${p.model.handle}` : `${p.model.handle} ${modelVersionOfS3Url(p.model.s3Url)} to fleet ${p.fleet}`;
  const facts = definitionList([
    ['Status', status(p.status)],
    ['Model', `${esc(p.model.handle)} · <code>${esc(p.model.s3Url)}</code>`],
    ['Fleet', esc(p.fleet)],
    ['Action', esc(p.state)],
    ['On failure', esc(p.failureHandlingPolicy)],
    ['Success threshold', pct(p.successThreshold)],
    ['Stage fails above', `${pct(p.maxFailures)} failed`],
    ['Created', timeTag(p.createdAt)],
    ...(p.endedAt ? ([['Ended', timeTag(p.endedAt)]] as Array<[string, string]>) : []),
    ['Devices that reported', num(p.resultCount)],
  ]);
  const stages = table(
    `Stages of ${p.name}`,
    ['Stage', 'Selects', 'Outcome', 'Devices', 'Succeeded', 'Failed', 'Pending', 'Started', 'Ended'],
    p.stages.map(
      (st) =>
        `<tr><th scope="row">${esc(st.name)}</th><td class="text">${st.percent !== undefined ? `${esc(String(st.percent))}% of the fleet` : `${num(st.listed ?? 0)} listed`}</td>` +
        `<td class="text">${status(st.status)}${st.waiting ? ' (waiting for devices)' : ''}</td><td>${num(st.devices)}</td><td>${num(st.succeeded)}</td>` +
        `<td>${num(st.failed)}</td><td>${num(st.pending)}</td><td class="text">${st.startedAt ? timeTag(st.startedAt) : '—'}</td>` +
        `<td class="text">${st.endedAt ? timeTag(st.endedAt) : '—'}</td></tr>`,
    ),
    [1, 2, 7, 8],
  );
  const timeline =
    p.timeline.length > 0
      ? `<h4>Timeline</h4>\n<ol class="timeline">${p.timeline
          .map((e) => `<li class="event-${esc(e.event)}">${timeTag(e.at)} ${esc(e.message)}</li>`)
          .join('')}</ol>`
      : '';
  return `<article class="plan" aria-labelledby="${id}">\n<h3 id="${id}">Plan ${esc(p.name)}: ${esc(what)}</h3>\n${facts}\n${stages}\n${timeline}\n</article>`;
}

function failuresSection(failures: RunFailure[] | undefined): string {
  if (failures === undefined) return section('failures', 'Failures', '<p>Not recorded for this report.</p>');
  if (failures.length === 0) return section('failures', 'Failures', '<p>No request failed.</p>');
  const sorted = [...failures].sort(
    (a, b) => b.count - a.count || cmp(a.device, b.device) || cmp(a.operation, b.operation) || cmp(a.errorType, b.errorType),
  );
  const shown = sorted.slice(0, MAX_FAILURE_ROWS);
  const rest = sorted.slice(MAX_FAILURE_ROWS);
  const rows = shown.map(
    (f) =>
      `<tr><th scope="row">${esc(f.device)}</th><td class="text">${esc(f.operation)}</td><td class="text">${esc(f.errorType)}</td><td>${num(f.count)}</td></tr>`,
  );
  const more =
    rest.length > 0
      ? `\n<p>… and ${num(rest.length)} more rows (${num(rest.reduce((n, f) => n + f.count, 0))} failed requests), the smallest counts.</p>`
      : '';
  return section(
    'failures',
    'Failures',
    table(
      'Failed requests by device, operation and error type, most first',
      ['Device', 'Operation', 'Error type', 'Requests'],
      rows,
      [1, 2],
    ) + more,
  );
}

function chartsSection(series: RunSeries | undefined): string {
  if (!series || series.t.length === 0) return section('charts', 'Charts', '<p>No time series recorded for this report.</p>');
  const t = series.t;
  return section(
    'charts',
    'Charts',
    [
      lineChart('chart-rate', 'Heartbeats per second', 'per second', t, [{ name: 'heartbeats/s', values: series.heartbeatsPerSecond }]),
      lineChart('chart-answers', 'Accepted and rejected requests per second', 'per second', t, [
        { name: 'accepted', values: series.accepted },
        { name: 'rejected', values: series.rejected },
      ]),
      lineChart('chart-latency', 'Latency', 'ms', t, [
        { name: 'p50', values: series.p50 },
        { name: 'p99', values: series.p99 },
      ]),
    ].join('\n'),
  );
}

// --- charts ---

interface Line {
  name: string;
  values: number[];
}

const W = 720;
const H = 240;
const M = { left: 60, right: 16, top: 14, bottom: 40 };

function lineChart(id: string, title: string, unit: string, tMs: number[], lines: Line[]): string {
  const n = Math.min(tMs.length, ...lines.map((l) => l.values.length));
  const xs = tMs.slice(0, n).map((v) => v / 1000);
  const xTicks = axis(maxOf(xs, 0));
  const xMax = xTicks[xTicks.length - 1]!;
  const xMin = Math.min(0, minOf(xs, 0));
  const yTicks = axis(Math.max(0, ...lines.map((l) => maxOf(l.values.slice(0, n), 0))));
  const yMax = yTicks[yTicks.length - 1]!;
  const px = (x: number) => M.left + ((x - xMin) / (xMax - xMin || 1)) * (W - M.left - M.right);
  const py = (y: number) => H - M.bottom - (y / (yMax || 1)) * (H - M.top - M.bottom);

  const grid: string[] = [];
  for (const y of yTicks) {
    const at = fixed(py(y));
    grid.push(`<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${at}" y2="${at}" />`);
    grid.push(`<text class="tick" x="${M.left - 6}" y="${at}" text-anchor="end" dominant-baseline="middle">${esc(short(y))}</text>`);
  }
  for (const x of xTicks) {
    const at = fixed(px(x));
    grid.push(`<line class="tickmark" x1="${at}" x2="${at}" y1="${H - M.bottom}" y2="${H - M.bottom + 4}" />`);
    grid.push(`<text class="tick" x="${at}" y="${H - M.bottom + 16}" text-anchor="middle">${esc(short(x))}</text>`);
  }
  const axes =
    `<line class="axis" x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}" />` +
    `<line class="axis" x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" />` +
    `<text class="label" x="${fixed((M.left + W - M.right) / 2)}" y="${H - 6}" text-anchor="middle">seconds since the start</text>` +
    `<text class="label" x="14" y="${fixed((M.top + H - M.bottom) / 2)}" text-anchor="middle" transform="rotate(-90 14 ${fixed((M.top + H - M.bottom) / 2)})">${esc(unit)}</text>`;
  const paths = lines
    .map((line, i) =>
      segments(xs, line.values.slice(0, n))
        .map(
          (seg) => `<polyline class="line line-${i + 1}" points="${seg.map(([x, y]) => `${fixed(px(x))},${fixed(py(y))}`).join(' ')}" />`,
        )
        .join(''),
    )
    .join('');
  const label = chartSummary(title, unit, xs, lines, n);
  const legend =
    lines.length > 1
      ? `<ul class="legend">${lines.map((l, i) => `<li><span class="swatch line-${i + 1}"></span>${esc(l.name)}</li>`).join('')}</ul>`
      : '';
  return (
    `<figure class="chart" aria-labelledby="${id}-caption">\n<figcaption id="${id}-caption">${esc(title)}</figcaption>\n${legend}` +
    `<svg role="img" aria-label="${esc(label)}" viewBox="0 0 ${W} ${H}" width="100%" preserveAspectRatio="xMidYMid meet">` +
    `<title>${esc(label)}</title>${grid.join('')}${axes}${paths}</svg>\n</figure>`
  );
}

/** "Latency over 1 min 0 s: p50 from 1.1 to 3.2 ms, mean 1.5 ms; p99 …" */
function chartSummary(title: string, unit: string, xs: number[], lines: Line[], n: number): string {
  const seconds = maxOf(xs, 0) - minOf(xs, 0);
  const u = unit === 'ms' ? ' ms' : ' per second';
  const parts = lines.map((l) => {
    const v = l.values.slice(0, n).filter(Number.isFinite);
    if (v.length === 0) return `${l.name}: no values`;
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    return `${l.name} from ${short(minOf(v, 0))} to ${short(maxOf(v, 0))}${u}, mean ${short(mean)}${u}`;
  });
  return `${title} over ${duration(seconds * 1000)} (${num(n)} samples): ${parts.join('; ')}.`;
}

/** Runs of finite points, bucketed down to MAX_CHART_POINTS points (each bucket: its first time, its largest value). */
function segments(xs: number[], ys: number[]): Array<Array<[number, number]>> {
  const n = Math.min(xs.length, ys.length);
  const size = Math.max(1, Math.ceil(n / MAX_CHART_POINTS));
  const out: Array<Array<[number, number]>> = [];
  let run: Array<[number, number]> = [];
  for (let i = 0; i < n; i += size) {
    let best: number | undefined;
    for (let j = i; j < Math.min(n, i + size); j++) if (Number.isFinite(ys[j]) && (best === undefined || ys[j]! > best)) best = ys[j];
    const x = xs[i]!;
    if (best === undefined || !Number.isFinite(x)) {
      if (run.length > 0) out.push(run);
      run = [];
    } else run.push([x, best]);
  }
  if (run.length > 0) out.push(run);
  // A lone point would not show as a line: draw it as a short flat one.
  return out.map((r) => (r.length === 1 ? [r[0]!, [r[0]![0] + 1e-9, r[0]![1]]] : r));
}

/** An axis from 0 to at least v in 3 to 6 even steps of 1, 2, 2.5 or 5 × 10^k: its ticks (0 … max). */
function axis(v: number): number[] {
  const top = v > 0 && Number.isFinite(v) ? v : 1;
  const p = 10 ** Math.floor(Math.log10(top / 5));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * p).find((st) => top / st <= 5 + 1e-9) ?? 10 * p;
  const steps = Math.max(1, Math.ceil(top / step - 1e-9));
  return Array.from({ length: steps + 1 }, (_, i) => Math.round(i * step * 1e9) / 1e9);
}

/** The largest (smallest) finite value, or `fallback` when none; a loop, so any length of series is fine. */
function maxOf(values: readonly number[], fallback: number): number {
  let best = -Infinity;
  for (const v of values) if (Number.isFinite(v) && v > best) best = v;
  return best === -Infinity ? fallback : best;
}

function minOf(values: readonly number[], fallback: number): number {
  let best = Infinity;
  for (const v of values) if (Number.isFinite(v) && v < best) best = v;
  return best === Infinity ? fallback : best;
}

// --- pieces ---

/** `textColumns`: the columns (from 0) whose cells are text, aligned left like the first; the others are numbers. */
function table(caption: string, headers: string[], rows: string[], textColumns: number[] = [], foot?: string): string {
  const head = headers.map((h, i) => `<th scope="col"${i === 0 || textColumns.includes(i) ? ' class="text"' : ''}>${esc(h)}</th>`).join('');
  return (
    `<div class="table-wrap"><table>\n<caption>${esc(caption)}</caption>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>` +
    (foot ? `\n<tfoot>${foot}</tfoot>` : '') +
    `\n</table></div>`
  );
}

/** Values are HTML already (escaped by the caller); labels are escaped here. */
function definitionList(items: Array<[string, string]>): string {
  return `<dl class="facts">${items.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${v}</dd></div>`).join('')}</dl>`;
}

function byType(types: Record<string, number> | undefined): string {
  const entries = Object.entries(types ?? {}).filter(([, n]) => n > 0);
  if (entries.length === 0) return '—';
  entries.sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]));
  return entries.map(([type, n]) => `${esc(type)} ${num(n)}`).join(', ');
}

function mergedTypes(all: Array<Record<string, number> | undefined>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const types of all) for (const [type, n] of Object.entries(types ?? {})) out[type] = (out[type] ?? 0) + n;
  return out;
}

function status(value: string): string {
  return `<span class="status status-${esc(value)}">${esc(value)}</span>`;
}

function timeTag(iso: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return esc(iso);
  const shown = new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, ' UTC');
  return `<time datetime="${esc(iso)}">${esc(shown)}</time>`;
}

/** 65_432 → "1 min 05 s"; 850 → "850 ms". */
function duration(msValue: number): string {
  if (!Number.isFinite(msValue) || msValue < 0) return '—';
  if (msValue < 1000) return `${Math.round(msValue)} ms`;
  const totalSeconds = Math.round(msValue / 100) / 10;
  if (totalSeconds < 60) return `${short(totalSeconds)} s`;
  const whole = Math.round(totalSeconds);
  const h = Math.floor(whole / 3600);
  const min = Math.floor((whole % 3600) / 60);
  const sec = whole % 60;
  if (h > 0) return `${h} h ${String(min).padStart(2, '0')} min ${String(sec).padStart(2, '0')} s`;
  return `${min} min ${String(sec).padStart(2, '0')} s`;
}

function ms(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '—' : `${short(value)} ms`;
}

/** A number with thousands separators and at most `decimals` decimals. */
function num(value: number, decimals = 0): string {
  if (!Number.isFinite(value)) return '—';
  const f = 10 ** decimals;
  const rounded = Math.round(value * f) / f;
  const [whole, frac] = Math.abs(rounded).toFixed(decimals).split('.');
  const text = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (frac && /[1-9]/.test(frac) ? `.${frac.replace(/0+$/, '')}` : '');
  return (rounded < 0 ? '-' : '') + text;
}

/** Two significant decimals below 10, one below 100, whole above. */
function short(value: number): string {
  const a = Math.abs(value);
  return num(value, a < 10 ? 2 : a < 100 ? 1 : 0);
}

function pct(fraction: number): string {
  return Number.isFinite(fraction) ? `${num(fraction * 100, 1)}%` : '—';
}

function fixed(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Text for HTML and XML, in content and in quoted attributes: & < > " ' as character references, and
 * the characters XML forbids (controls other than tab and line ends, lone surrogates, U+FFFE/U+FFFF) as U+FFFD.
 */
export function esc(text: string): string {
  return String(text)
    .replace(NOT_XML, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The characters XML forbids (see esc). */
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- matched to be replaced, so a strict parser reads the report
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const STYLE = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --border: #d1d9e0; --panel: #f6f8fa;
  --grid: #e6eaef; --c1: #0969da; --c2: #bc4c00; --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --border: #3d444d; --panel: #151b23;
    --grid: #262c36; --c1: #4493f8; --c2: #f0883e; --ok: #3fb950; --bad: #f85149; --warn: #d29922;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 70rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 0.75rem; overflow-wrap: anywhere; }
h2 { font-size: 1.25rem; margin: 2rem 0 0.5rem; padding-bottom: 0.25rem; border-bottom: 1px solid var(--border); }
h3 { font-size: 1.05rem; margin: 1.25rem 0 0.5rem; overflow-wrap: anywhere; }
h4 { font-size: 0.95rem; margin: 1rem 0 0.25rem; }
code, .url { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; overflow-wrap: anywhere; }
dl.facts, dl.stats { display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); gap: 0.5rem 1.25rem; margin: 0.5rem 0; }
dl.facts div, dl.stats div { min-width: 0; }
dt { color: var(--muted); font-size: 0.85rem; }
dd { margin: 0; overflow-wrap: anywhere; }
dl.stats div { background: var(--panel); border: 1px solid var(--border); border-radius: 6px; padding: 0.5rem 0.75rem; }
dl.stats dd { font-size: 1.4rem; font-variant-numeric: tabular-nums; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0; font-variant-numeric: tabular-nums; }
caption { text-align: left; color: var(--muted); font-size: 0.85rem; padding-bottom: 0.25rem; }
th, td { border-bottom: 1px solid var(--border); padding: 0.3rem 0.6rem; text-align: right; vertical-align: top; }
th:first-child, th.text, td.text { text-align: left; }
thead th { background: var(--panel); font-weight: 600; }
tbody th { font-weight: 500; overflow-wrap: break-word; }
tfoot th, tfoot td { font-weight: 600; border-top: 2px solid var(--border); }
td time { white-space: nowrap; }
.status { font-weight: 600; }
.status-succeeded, .status-SUCCESS { color: var(--ok); }
.status-failed, .status-FAIL { color: var(--bad); }
.status-cancelled, .status-running, .status-active { color: var(--warn); }
ol.timeline { margin: 0.25rem 0; padding-left: 1.5rem; }
ol.timeline li { margin: 0.15rem 0; }
ol.timeline time { color: var(--muted); font-variant-numeric: tabular-nums; margin-right: 0.5rem; }
.event-stage-failed, .event-plan-failed { color: var(--bad); }
.event-plan-succeeded { color: var(--ok); }
ul.names { columns: 14rem; padding-left: 1.25rem; }
article.plan { border: 1px solid var(--border); border-radius: 6px; padding: 0.25rem 1rem 0.75rem; margin: 1rem 0; }
figure.chart { margin: 1rem 0 1.5rem; }
figcaption { font-weight: 600; margin-bottom: 0.25rem; }
svg { display: block; max-width: 100%; height: auto; }
svg .axis, svg .tickmark { stroke: var(--muted); stroke-width: 1; }
svg .grid { stroke: var(--grid); stroke-width: 1; }
svg .tick, svg .label { fill: var(--muted); font-size: 11px; font-family: system-ui, sans-serif; }
svg .line { fill: none; stroke-width: 1.75; stroke-linejoin: round; stroke-linecap: round; }
.line-1 { stroke: var(--c1); background: var(--c1); }
.line-2 { stroke: var(--c2); background: var(--c2); stroke-dasharray: 6 3; }
ul.legend { list-style: none; display: flex; gap: 1.25rem; padding: 0; margin: 0 0 0.25rem; font-size: 0.85rem; }
.swatch { display: inline-block; width: 1.25rem; height: 0.2rem; vertical-align: middle; margin-right: 0.4rem; }
@media print {
  :root {
    color-scheme: light;
    --bg: #ffffff; --fg: #000000; --muted: #444444; --border: #bbbbbb; --panel: #f3f3f3;
    --grid: #e3e3e3; --c1: #0a4fa8; --c2: #a84300; --ok: #176b2c; --bad: #b0151f; --warn: #7a5200;
  }
  @page { margin: 14mm; }
  body { font-size: 10pt; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  main { max-width: none; padding: 0; }
  h2, h3, h4 { break-after: avoid; }
  tr, figure, dl.stats div, ol.timeline li { break-inside: avoid; }
  .table-wrap { overflow: visible; }
}
`;
