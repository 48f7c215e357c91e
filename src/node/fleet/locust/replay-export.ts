/**
 * `heartbeat replay FILE... --export locust --out DIR` (issue 20): a capture, history export or NDJSON file
 * as a Locust test. The items are read as `heartbeat replay` reads them and written, in order, to
 * DIR/items.ndjson with what replay_locustfile.py needs to send them as the replay would: the body (as
 * read, or with device and fleet names rewritten, as the replay rewrites them), and, when timestamps are
 * rewritten at send time, where each timestamp is and what it says. Streamed: one item in memory at a time.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { forEachTimestamp, requestSchema } from '../../../common/model/index.ts';
import { parseTimestamp } from '../../../common/wire/timestamps.ts';
import type { ReplayItem, ReplayProblem } from '../../engine/payloads.ts';
import type { RewriteOptions } from '../../engine/rewrite.ts';
import { pythonSource, withEmbeddedJson, writeExport } from './export.ts';

export interface ReplayExportOptions {
  rewrite: RewriteOptions;
  /** Sends in flight: the Locust users. */
  concurrency: number;
  /** Sends per second, all workers together. */
  rate?: number;
  /** The inputs, for the README. */
  files: string[];
}

export interface ReplayExportResult {
  items: number;
  unreadable: number;
  byOperation: Record<string, number>;
  files: string[];
}

/** One line of items.ndjson. */
interface ExportedItem {
  operation: string;
  body: string;
  source: string;
  /** Each timestamp's JSON pointer and its epoch seconds (null when it is not one), when they are rewritten at send time. */
  timestamps?: Array<[string, number | null]>;
}

function exportedItem(item: ReplayItem, sequence: number, rewrite: RewriteOptions): { line: ExportedItem; latest?: number } {
  if (!rewrite.timestamps && rewrite.deviceName === undefined && rewrite.fleetName === undefined)
    return { line: { operation: item.operation, body: item.body, source: item.source } };
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(item.body) as Record<string, unknown>;
  } catch {
    return { line: { operation: item.operation, body: item.body, source: item.source } };
  }
  // As src/node/engine/rewrite.ts: names now (they do not depend on the time), timestamps when sent.
  if (rewrite.deviceName !== undefined && 'DeviceName' in doc) {
    const original = typeof doc.DeviceName === 'string' ? doc.DeviceName : '';
    doc.DeviceName = rewrite.deviceName.replaceAll('{n}', String(sequence)).replaceAll('{name}', original);
  }
  if (rewrite.fleetName !== undefined && 'DeviceFleetName' in doc) doc.DeviceFleetName = rewrite.fleetName;
  const line: ExportedItem = { operation: item.operation, body: JSON.stringify(doc), source: item.source };
  let latest = -Infinity;
  if (rewrite.timestamps) {
    const timestamps: Array<[string, number | null]> = [];
    forEachTimestamp(requestSchema(item.operation), doc, (pointer, value) => {
      const seconds = parseTimestamp(value);
      if (seconds !== undefined) latest = Math.max(latest, seconds);
      timestamps.push([pointer, seconds ?? null]);
    });
    line.timestamps = timestamps;
  }
  return { line, ...(Number.isFinite(latest) ? { latest } : {}) };
}

/** Writes the folder; `items` as readPayloads gives them. Throws when there is nothing to replay. */
export async function exportReplay(
  items: AsyncIterable<ReplayItem | ReplayProblem>,
  dir: string,
  options: ReplayExportOptions,
): Promise<ReplayExportResult> {
  writeExport(dir, {});
  const out = createWriteStream(join(dir, 'items.ndjson'));
  const result: ReplayExportResult = { items: 0, unreadable: 0, byOperation: {}, files: [] };
  let shiftFrom: number | null = null;
  try {
    for await (const item of items) {
      if ('problem' in item) {
        result.unreadable++;
        continue;
      }
      const sequence = ++result.items;
      const { line, latest } = exportedItem(item, sequence, options.rewrite);
      if (sequence === 1) shiftFrom = latest ?? null;
      result.byOperation[item.operation] = (result.byOperation[item.operation] ?? 0) + 1;
      if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  if (result.items === 0) throw new Error('Nothing to replay: the inputs hold no payload (empty, blank lines or only outcome lines).');
  const manifest = {
    items: result.items,
    unreadable: result.unreadable,
    byOperation: result.byOperation,
    rewriteTimestamps: options.rewrite.timestamps ?? null,
    shiftFrom: options.rewrite.timestamps === 'shift' ? shiftFrom : null,
    deviceName: options.rewrite.deviceName ?? null,
    fleetName: options.rewrite.fleetName ?? null,
    rate: options.rate ?? null,
    concurrency: options.concurrency,
    inputs: options.files,
  };
  result.files = writeExport(dir, {
    'replay.json': `${JSON.stringify(manifest, null, 2)}\n`,
    'heartbeat_fleet.py': withEmbeddedJson(pythonSource('heartbeat_fleet.py'), null),
    'locustfile.py': pythonSource('replay_locustfile.py'),
    'locust.conf': [
      "# Locust's settings for this replay (README.md); command-line options override them.",
      'locustfile = locustfile.py',
      `users = ${options.concurrency}`,
      `spawn-rate = ${options.concurrency}`,
      '',
    ].join('\n'),
    'README.md': replayReadme(manifest, result),
  });
  result.files.unshift(join(dir, 'items.ndjson'));
  return result;
}

function replayReadme(
  m: {
    rewriteTimestamps: string | null;
    deviceName: string | null;
    fleetName: string | null;
    rate: number | null;
    concurrency: number;
    inputs: string[];
  },
  r: ReplayExportResult,
): string {
  const ops = Object.entries(r.byOperation)
    .map(([op, n]) => `${n.toLocaleString('en-US')} ${op}`)
    .join(', ');
  return `# A replay on Locust

Written by \`heartbeat replay ${m.inputs.join(' ')} --export locust\` (Heartbeat Composer; docs/scale.md):
${r.items.toLocaleString('en-US')} item${r.items === 1 ? '' : 's'} (${ops})${r.unreadable ? `; ${r.unreadable} unreadable line${r.unreadable === 1 ? ' was' : 's were'} left out` : ''}.

| file | what it is |
|---|---|
| \`items.ndjson\` | the payloads in order: operation, body${m.deviceName !== null || m.fleetName !== null ? ' (names rewritten)' : ' (as read)'}, where it came from${m.rewriteTimestamps ? ', where its timestamps are' : ''} |
| \`replay.json\` | how they are sent: timestamps ${m.rewriteTimestamps ?? 'as captured'}, rate ${m.rate === null ? 'as fast as the users go' : `${m.rate}/s`}, ${m.concurrency} user${m.concurrency === 1 ? '' : 's'} |
| \`locustfile.py\` | the Locust users: each takes the next items not yet taken and sends them |
| \`heartbeat_fleet.py\` | SigV4 (hmac/hashlib), the standard retries, JSON as JavaScript writes it |
| \`locust.conf\` | users = ${m.concurrency} (the replay's --concurrency), spawn rate |

## Run it

Credentials from \`AWS_ACCESS_KEY_ID\`, \`AWS_SECRET_ACCESS_KEY\` (\`AWS_SESSION_TOKEN\`), region \`AWS_REGION\`
(default us-east-1); the target is \`--host\` (the embedded endpoint's demo keys: \`AKIAHBCOMPOSERDEMO01\` /
\`hbcDemoSecret/OnlyForTheEmbeddedEndpoint\`). On one machine:

\`\`\`
cd THIS_FOLDER
locust --headless --host http://127.0.0.1:8787 --csv replay
\`\`\`

A master and workers (on this machine or others, each with a copy of this folder):

\`\`\`
locust --master --headless --expect-workers 4 --host https://TARGET --csv replay
locust --worker --master-host MASTER_ADDRESS        # one per core, on each worker machine
\`\`\`

On Kubernetes with the Locust Helm chart, as a fleet export's README says, with \`items.ndjson\` and
\`replay.json\` beside the locustfile (a ConfigMap holds at most 1 MiB: a larger capture goes into the
image or a volume mounted in the locustfile's folder).

## How the items are shared out

Each user asks the master (a process run alone asks itself) for the next ${16} items nobody has taken and
sends them in order, so all workers together send every item exactly once, however many there are. When
every item is sent the run ends (a headless run quits; with the web UI it stops). More users send faster
(the replay's --concurrency); ${m.rate === null ? 'no rate is set: each user sends as fast as the answers come' : `the rate: item i (from 0) is due at start + i / ${m.rate} s, all workers together`}.

## Timestamps

${
  m.rewriteTimestamps === 'now'
    ? 'Every timestamp becomes the time its request is sent (`--rewrite-timestamps now`).'
    : m.rewriteTimestamps === 'shift'
      ? "All timestamps move by one offset, so the first payload's latest timestamp is the run's start (the master's clock), keeping the gaps between them (`--rewrite-timestamps shift`)."
      : 'As captured: each body is sent byte for byte as read.'
}
`;
}
