/** createCaptureReader, format by format (docs/captures.md): items in file order, problems with line and why, skips. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOLD_LINES } from '../../../src/common/capture/json-lines.ts';
import { createCaptureReader, readCaptureText } from '../../../src/common/capture/reader.ts';
import { HarReader } from '../../../src/common/capture/har.ts';
import { LineSplitter } from '../../../src/common/capture/lines.ts';
import type { CaptureRecord } from '../../../src/common/capture/types.ts';
import { emitCliInputJson } from '../../../src/common/formats/index.ts';
import { exchangeLine, heartbeat, items, outcomeLine, problems, requestLine, SAMPLES, skips } from './samples.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'captures');
const read = (key: keyof typeof SAMPLES): CaptureRecord[] => {
  const s = SAMPLES[key]!;
  return readCaptureText(s.format, s.text, { name: s.name, now: 0 });
};
const devices = (records: CaptureRecord[]) => items(records).map((i) => i.device);

describe('every format', () => {
  it('numbers items 0, 1, 2… in file order, with their 1-based line and source name:line', () => {
    for (const key of Object.keys(SAMPLES)) {
      const records = read(key);
      const list = items(records);
      expect(list.length, key).toBeGreaterThan(0);
      expect(list.map((i) => i.index)).toEqual(list.map((_, n) => n));
      const lines = records.map((r) => ('item' in r ? r.item.line : 'problem' in r ? r.problem.line : r.skip.line));
      expect(lines, key).toEqual([...lines].sort((a, b) => a - b));
      for (const i of list) expect(i.source).toBe(`${SAMPLES[key]!.name}:${i.line}`);
    }
  });

  it('never throws on any text, in any format', () => {
    const junk = [
      '',
      '\n\n',
      '{',
      '}',
      ']]]',
      '"',
      '\\',
      'curl',
      'aws',
      '{"log":{"entries":[{',
      '\uFEFF',
      '---\n- a\n',
      '\0\0\0',
      '{"log":',
    ];
    for (const s of Object.values(SAMPLES))
      for (const text of junk) {
        expect(() => readCaptureText(s.format, text, { name: 'junk' })).not.toThrow();
        expect(() => readCaptureText(s.format, text + SAMPLES.ndjson!.text, { name: 'junk' })).not.toThrow();
      }
  });

  it('takes no text after end()', () => {
    const reader = createCaptureReader('ndjson', { name: 'x' });
    expect(reader.end()).toEqual([]);
    expect(reader.push(JSON.stringify(heartbeat('late')) + '\n')).toEqual([]);
    expect(reader.end()).toEqual([]);
  });
});

describe('ndjson', () => {
  it('reads payload lines and {operation, body} lines; broken lines are problems with line and why, the rest runnable', () => {
    const records = read('ndjson');
    expect(devices(records)).toEqual(['cam-1', 'cam-3 ünïcödé 😀', 'cam-4', 'cam-5']);
    expect(items(records).map((i) => [i.operation, i.line])).toEqual([
      ['SendHeartbeat', 1],
      ['SendHeartbeat', 4],
      ['GetDeployments', 6],
      ['SendHeartbeat', 8],
    ]);
    // A payload line is sent byte for byte; an {operation, body} line sends its body.
    expect(items(records)[0]!.body).toBe(JSON.stringify(heartbeat('cam-1')));
    expect(items(records)[2]!.body).toBe('{"DeviceName":"cam-4","DeviceFleetName":"fleet-a"}');
    expect(problems(records)).toEqual([
      { line: 3, source: 'payloads.ndjson:3', problem: 'the line is not JSON (a torn or foreign line)' },
      { line: 5, source: 'payloads.ndjson:5', problem: 'the line is not a JSON object' },
    ]);
  });

  it('reads a fleet run log line with what it recorded, and a dry run line without', () => {
    const log = (extra: Record<string, unknown>) =>
      JSON.stringify({ time: 't', fleet: 'f', device: 'd', operation: 'SendHeartbeat', ...extra, body: heartbeat('d') });
    const text = [
      log({ status: 200, latencyMs: 3, attempts: 1 }),
      log({ status: 400, errorType: 'ValidationException', latencyMs: 3, attempts: 1 }),
      log({ status: null, errorType: 'transport:refused', latencyMs: 0, attempts: 3 }),
      log({}),
    ].join('\n');
    expect(items(readCaptureText('ndjson', text, { name: 'run.ndjson' })).map((i) => i.recorded)).toEqual([
      { kind: 'success', status: 200 },
      { kind: 'service-error', status: 400, errorType: 'ValidationException' },
      { kind: 'transport-error', errorType: 'refused' },
      undefined,
    ]);
  });

  it('reads history lines in an NDJSON file as replay always has (request lines sent, outcome and run lines skipped)', () => {
    const records = readCaptureText('ndjson', SAMPLES.history!.text, { name: 'h' });
    expect(devices(records)).toEqual(['cam-1', '-bad', 'cam-3', 'cam-4']);
    expect(problems(records).map((p) => p.line)).toEqual([6, 12]);
  });

  it('gives the bare payload lines the operation asked for', () => {
    const records = readCaptureText('ndjson', '{"DeviceName":"a","DeviceFleetName":"f"}\n', { name: 'x', operation: 'GetDeployments' });
    expect(items(records)[0]).toMatchObject({ operation: 'GetDeployments', device: 'a', fleet: 'f' });
  });

  it('handles CRLF line ends, a byte order mark, a last line without a line break, and no device members', () => {
    const records = readCaptureText('ndjson', '\uFEFF{"AgentVersion":"1"}\r\n\r\n{"DeviceName":7}', { name: 'w' });
    expect(items(records)).toEqual([
      { index: 0, operation: 'SendHeartbeat', body: '{"AgentVersion":"1"}', line: 1, source: 'w:1' },
      { index: 1, operation: 'SendHeartbeat', body: '{"DeviceName":7}', line: 3, source: 'w:3' },
    ]);
  });

  it('says a line of replacement characters is not UTF-8, and a line over the limit is too long', () => {
    expect(problems(readCaptureText('ndjson', '{"a":"\uFFFD\n', { name: 'b' }))[0]!.problem).toBe('the line is not UTF-8 text');
    const splitter = new LineSplitter(10);
    const lines = [...splitter.push('0123456789\n01234567890123\nabc'), ...splitter.end()];
    expect(lines).toEqual([
      { number: 1, text: '0123456789' },
      { number: 2, problem: 'the line is longer than 10 characters (14 characters); it is not read' },
      { number: 3, text: 'abc' },
    ]);
  });
});

describe('history-jsonl', () => {
  it('joins request lines with their outcome lines, in file order; run and forget lines are skipped silently; broken lines are problems', () => {
    const records = read('history');
    expect(items(records).map((i) => [i.device, i.line, i.recorded])).toEqual([
      ['cam-1', 1, { kind: 'success', status: 200 }],
      [
        '-bad',
        4,
        {
          kind: 'service-error',
          status: 400,
          errorType: 'ValidationException',
          message: "1 validation error detected: Value '-bad' at 'deviceName' failed to satisfy constraint",
        },
      ],
      ['cam-3', 7, { kind: 'cancelled', message: 'cancelled by the user' }],
      ['cam-4', 8, { kind: 'transport-error', errorType: 'refused', message: 'connection refused' }],
    ]);
    expect(items(records)[2]).toMatchObject({ operation: 'GetDeviceRegistration', url: 'http://127.0.0.1:8900/GetDeviceRegistration' });
    expect(problems(records)).toEqual([
      { line: 6, source: 'export.jsonl:6', problem: 'the line is not JSON (a torn or foreign line)' },
      { line: 12, source: 'export.jsonl:12', problem: 'the line is not a valid history or capture line: it has no target' },
    ]);
  });

  it('gives an item out as soon as its outcome line comes', () => {
    const reader = createCaptureReader('history-jsonl', { name: 'live' });
    expect(reader.push(JSON.stringify(requestLine('a', heartbeat('cam-1'))) + '\n')).toEqual([]);
    const out = reader.push(JSON.stringify(outcomeLine('a', { kind: 'success', status: 200, headers: {}, body: '' })) + '\n');
    expect(items(out).map((i) => i.recorded)).toEqual([{ kind: 'success', status: 200 }]);
  });

  it('holds an item waiting for its outcome at most HOLD_LINES lines, then lets it go without; later items wait behind it', () => {
    const reader = createCaptureReader('history-jsonl', { name: 'live' });
    const success = { kind: 'success' as const, status: 200, headers: {}, body: '' };
    // Line 1: a request whose outcome is not written yet; lines 2 … HOLD_LINES - 1: blank; line HOLD_LINES: another request.
    const early = [
      ...reader.push(JSON.stringify(requestLine('pending', heartbeat('cam-pending'))) + '\n'),
      ...reader.push('\n'.repeat(HOLD_LINES - 2)),
      ...reader.push(JSON.stringify(requestLine('next', heartbeat('cam-next'))) + '\n'),
    ];
    expect(early).toEqual([]);
    // Line HOLD_LINES + 1 (the next one's outcome) is HOLD_LINES lines after the first: it leaves without an outcome, the next with its own.
    const out = reader.push(JSON.stringify(outcomeLine('next', success)) + '\n');
    expect(items(out).map((i) => [i.index, i.device, i.line, i.recorded])).toEqual([
      [0, 'cam-pending', 1, undefined],
      [1, 'cam-next', HOLD_LINES, { kind: 'success', status: 200 }],
    ]);
    // Its outcome, too late, changes nothing.
    expect(reader.push(JSON.stringify(outcomeLine('pending', success)) + '\n')).toEqual([]);
    expect(reader.end()).toEqual([]);
  });

  it('lets every item still waiting go at the end, in file order', () => {
    const text = [
      requestLine('a', heartbeat('cam-a')),
      requestLine('b', heartbeat('cam-b')),
      outcomeLine('b', { kind: 'cancelled', message: 'x' }),
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const reader = createCaptureReader('history-jsonl', { name: 'h' });
    expect(reader.push(text)).toEqual([]);
    expect(items(reader.end()).map((i) => [i.index, i.device, i.recorded?.kind])).toEqual([
      [0, 'cam-a', undefined],
      [1, 'cam-b', 'cancelled'],
    ]);
  });

  it('joins an outcome that comes many lines later (a live history file), within the window', () => {
    const lines = [JSON.stringify(requestLine('late', heartbeat('cam-late')))];
    for (let i = 0; i < 500; i++) lines.push(JSON.stringify(requestLine(`x${i}`, heartbeat(`cam-${i}`))));
    lines.push(
      JSON.stringify(
        outcomeLine('late', { kind: 'service-error', status: 500, errorType: 'InternalServiceException', message: 'boom', retried: true }),
      ),
    );
    const list = items(readCaptureText('history-jsonl', lines.join('\n'), { name: 'live' }));
    expect(list[0]!.recorded).toEqual({ kind: 'service-error', status: 500, errorType: 'InternalServiceException', message: 'boom' });
    expect(list.map((i) => i.line)).toEqual(list.map((_, n) => n + 1));
  });

  it('reads exchange lines too (a history may hold them) and refuses payload lines', () => {
    const text = [
      JSON.stringify(exchangeLine('x', heartbeat('cam-x'), 'SendHeartbeat', {})),
      JSON.stringify(heartbeat('cam-payload')),
    ].join('\n');
    const records = readCaptureText('history-jsonl', text, { name: 'h' });
    expect(devices(records)).toEqual(['cam-x']);
    expect(problems(records)[0]).toEqual({
      line: 2,
      source: 'h:2',
      problem: 'the line is not a valid history or capture line: its version is undefined, not 1',
    });
  });

  it('says when a request line names an unknown operation', () => {
    const line = { ...requestLine('u', heartbeat('cam')), operation: 'SendHeartbeats' };
    expect(problems(readCaptureText('history-jsonl', JSON.stringify(line), { name: 'h' }))).toEqual([
      { line: 1, source: 'h:1', problem: 'the captured request was for an unknown operation ("SendHeartbeats")' },
    ]);
  });
});

describe('endpoint-capture', () => {
  it('reads exchange lines with the verdict as what was recorded; an unknown operation is skipped with its URL', () => {
    const records = read('capture');
    expect(items(records).map((i) => [i.device, i.operation, i.recorded])).toEqual([
      ['cam-1', 'SendHeartbeat', { kind: 'success', status: 200 }],
      ['-bad', 'SendHeartbeat', { kind: 'service-error', status: 400, errorType: 'ValidationException', message: 'bad name' }],
      ['cam-4', 'GetDeployments', { kind: 'success', status: 200 }],
    ]);
    expect(skips(records)).toEqual([
      {
        line: 2,
        source: 'capture.jsonl:2',
        url: '/SendHeartbeats',
        reason: 'the endpoint could not tell which operation the request was for',
      },
    ]);
    expect(problems(records)).toEqual([{ line: 4, source: 'capture.jsonl:4', problem: 'the line is not JSON (a torn or foreign line)' }]);
  });
});

describe('har', () => {
  it("reads the app's export: entries by line, recorded status, error type and message; other sites skipped with their URL", () => {
    const records = read('har');
    expect(items(records).map((i) => [i.device, i.operation, i.line, i.recorded])).toEqual([
      ['cam-1', 'SendHeartbeat', 2, { kind: 'success', status: 200 }],
      ['-bad', 'SendHeartbeat', 4, { kind: 'service-error', status: 400, errorType: 'ValidationException', message: 'bad "name" } ]' }],
      ['cam-5', 'GetDeviceRegistration', 6, { kind: 'transport-error', message: 'connect ECONNREFUSED 127.0.0.1:1' }],
    ]);
    expect(items(records)[0]!.body).toBe(JSON.stringify(heartbeat('cam-1')));
    expect(skips(records)).toEqual([
      {
        line: 3,
        source: 'app-export.har:3',
        url: 'https://example.com/index.html?q={x}',
        reason: 'GET /index.html is not an Edge Manager operation',
      },
    ]);
    expect(problems(records)).toEqual([
      { line: 5, source: 'app-export.har:5', problem: 'entry 4 (GetDeployments) has no request body (request.postData.text)' },
    ]);
  });

  it('opens a HAR recorded by Chromium through Playwright recordHar (all on one line: entries known by number)', () => {
    const text = readFileSync(join(FIXTURES, 'playwright-chromium.har'), 'utf8');
    const records = readCaptureText('har', text, { name: 'pw.har' });
    const list = items(records);
    expect(list.map((i) => [i.operation, i.device, i.source, i.line])).toEqual([
      ['SendHeartbeat', 'cam-har-1', 'pw.har#entry 3', 3],
      ['GetDeviceRegistration', 'cam-har-1', 'pw.har#entry 4', 4],
      ['SendHeartbeat', '-bad', 'pw.har#entry 5', 5],
      ['GetDeployments', 'cam-har-2', 'pw.har#entry 6', 6],
      ['SendHeartbeat', 'cam-har-3', 'pw.har#entry 8', 8],
    ]);
    expect(list.map((i) => i.recorded)).toEqual([
      { kind: 'success', status: 200 },
      { kind: 'success', status: 200 },
      {
        kind: 'service-error',
        status: 400,
        errorType: 'ValidationException',
        message:
          "1 validation error detected: Value '-bad' at 'deviceName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*_*[a-zA-Z0-9])*$",
      },
      // No x-amzn-ErrorType: the body's __type, without its namespace.
      { kind: 'service-error', status: 429, errorType: 'ThrottlingException', message: 'Rate exceeded' },
      { kind: 'transport-error', message: 'net::ERR_CONNECTION_REFUSED' },
    ]);
    expect(JSON.parse(list[0]!.body)).toEqual({
      AgentVersion: '1.0',
      DeviceName: 'cam-har-1',
      DeviceFleetName: 'fleet-har',
      Models: [{ ModelName: 'm', ModelVersion: '1', LatestSampleTime: 1763797700, LatestInference: 1763797700.25 }],
    });
    expect(skips(records).map((s) => [s.source, new URL(s.url!).pathname])).toEqual([
      ['pw.har#entry 1', '/'],
      ['pw.har#entry 2', '/app.js'],
      ['pw.har#entry 7', '/status.json'],
    ]);
    expect(problems(records)).toEqual([]);
  });

  it('opens a pretty-printed devtools HAR: entries by the line they start on, base64 bodies, _error, preflights and GETs skipped', () => {
    const text = readFileSync(join(FIXTURES, 'devtools-style.har'), 'utf8');
    const records = readCaptureText('har', text, { name: 'dev.har' });
    const lines = text.split('\n');
    for (const i of items(records)) expect(lines[i.line - 1]).toBe('      {');
    expect(items(records).map((i) => [i.device, i.recorded?.kind, i.recorded?.status, i.recorded?.errorType])).toEqual([
      ['cam-devtools-1', 'success', 200, undefined],
      ['cam_-bad', 'service-error', 400, 'ValidationException'],
      ['cam-devtools-2', 'transport-error', undefined, undefined],
    ]);
    expect(items(records)[1]!.recorded!.message).toMatch(/^1 validation error detected/);
    expect(items(records)[2]!.recorded!.message).toBe('net::ERR_CONNECTION_REFUSED');
    expect(skips(records).map((s) => s.reason)).toEqual([
      'an OPTIONS request to /SendHeartbeat: Edge Manager operations are POST requests',
      'a GET request to /GetDeployments: Edge Manager operations are POST requests',
    ]);
  });

  it('says what is wrong with a file that is no HAR, a cut-short HAR and an entry that is not JSON, keeping entries before', () => {
    const one = (text: string) => readCaptureText('har', text, { name: 'x.har' });
    expect(problems(one(''))).toEqual([{ line: 1, source: 'x.har:1', problem: 'the file is empty: no HAR document' }]);
    expect(problems(one('[1,2]'))[0]!.problem).toBe('the file is not a HAR: it does not start with a JSON object');
    expect(problems(one('{"log":{"version":"1.2","pages":[]}}'))[0]!.problem).toBe('the file is not a HAR: it has no log.entries list');
    expect(problems(one('{"entries":[{"request":{}}]}'))[0]!.problem).toBe('the file is not a HAR: it has no log.entries list');
    const full = SAMPLES.har!.text;
    const cut = one(full.slice(0, full.indexOf('"-bad') + 3));
    expect(devices(cut)).toEqual(['cam-1']);
    expect(skips(cut)).toHaveLength(1);
    expect(problems(cut)).toEqual([{ line: 4, source: 'x.har:4', problem: 'the HAR ends inside entry 3 (the file is cut short)' }]);
    const bad = one('{"log":{"entries":[\n{"request": nope},\n' + full.split('\n')[1]!.replace(/,$/, '') + '\n]}}');
    expect(problems(bad)).toEqual([{ line: 2, source: 'x.har:2', problem: 'entry 1 is not valid JSON' }]);
    expect(devices(bad)).toEqual(['cam-1']);
    expect(problems(one('{"log":{"entries":[\n}]}}'))[0]!.problem).toBe(
      'the HAR is not valid JSON: a "}" on line 2 stands where a "]" is due',
    );
    // Text after the document is not read.
    expect(problems(one('{"log":{"entries":[]}}}'))).toEqual([]);
  });

  it('stops at its size limit with a problem, keeping the entries before it', () => {
    const limit = SAMPLES.har!.text.indexOf('"-bad');
    const reader = new HarReader('big.har', limit);
    const out: CaptureRecord[] = [];
    reader.push(SAMPLES.har!.text, out);
    reader.end(out);
    expect(devices(out)).toEqual(['cam-1']);
    expect(problems(out).at(-1)!.problem).toBe(`the HAR is larger than ${limit} characters: what follows line 4 is not read`);
  });
});

describe('curl', () => {
  it('reads one command after another (continuations, $ prompts, quoted line breaks); the operation from the URL; other URLs skipped', () => {
    const records = read('curl');
    expect(items(records).map((i) => [i.operation, i.device, i.line, i.url])).toEqual([
      ['SendHeartbeat', 'cam-1', 2, 'http://127.0.0.1:8900/SendHeartbeat'],
      ['GetDeployments', 'cam-2', 9, 'https://edge.sagemaker.us-east-1.amazonaws.com/GetDeployments'],
      ['SendHeartbeat', 'cam-4', 16, 'http://h/SendHeartbeat'],
      ['SendHeartbeat', "cam-6 it's", 19, 'https://edge.sagemaker.us-east-1.amazonaws.com/SendHeartbeat'],
    ]);
    expect(items(records)[0]!.body).toBe(JSON.stringify(heartbeat('cam-1')));
    expect(skips(records)).toEqual([
      {
        line: 15,
        source: 'commands.sh:15',
        url: 'https://example.com/upload',
        reason: "the curl command's URL names no Edge Manager operation",
      },
    ]);
    expect(problems(records)).toEqual([
      { line: 18, source: 'commands.sh:18', problem: 'In the --data-binary body: Expected a member name in double quotes, found "o".' },
    ]);
  });

  it('says what is wrong with a text that is not a curl command, with its first line', () => {
    const records = readCaptureText('curl', '\n\nwget http://h/SendHeartbeat\n  --post-data x\n', { name: 'c' });
    expect(problems(records)).toEqual([
      { line: 3, source: 'c:3', problem: 'Not a curl command: expected "curl … --data-binary \'{…}\' URL".' },
    ]);
  });
});

describe('aws-cli', () => {
  it('reads aws sagemaker-edge command lines as the composer imports them; an unknown option is a problem at its first line', () => {
    const records = read('aws');
    expect(items(records).map((i) => [i.operation, i.device, i.line, i.url])).toEqual([
      ['SendHeartbeat', 'cam-1', 1, undefined],
      ['GetDeviceRegistration', 'cam-2', 7, 'http://127.0.0.1:8900/GetDeviceRegistration'],
      ['GetDeployments', 'cam-4', 12, undefined],
    ]);
    expect(JSON.parse(items(records)[0]!.body)).toEqual(heartbeat('cam-1'));
    expect(problems(records)).toEqual([
      { line: 11, source: 'commands.txt:11', problem: 'Unknown option --device-nmae. Did you mean --device-name?' },
    ]);
  });

  it('converts ISO timestamps of shorthand parameters', () => {
    const text =
      'aws sagemaker-edge send-heartbeat --agent-version 1.0 --device-name d --device-fleet-name f --agent-metrics Dimension=cpu,MetricName=u,Value=1,Timestamp=2025-11-22T07:48:20Z\n';
    const body = JSON.parse(items(readCaptureText('aws-cli', text, { name: 'a' }))[0]!.body);
    expect(body.AgentMetrics[0].Timestamp).toBe(1763797700);
  });
});

describe('cli-input-json and cli-input-yaml', () => {
  it('read the whole text as one item with ISO timestamps converted, as the composer does', () => {
    for (const key of ['json', 'yaml'] as const) {
      const list = items(read(key));
      expect(list).toHaveLength(1);
      expect(list[0]).toMatchObject({ index: 0, operation: 'SendHeartbeat', line: 1, device: 'cam-1', fleet: 'fleet-a' });
      expect(JSON.parse(list[0]!.body).AgentMetrics[0].Timestamp).toBe(1763797700);
    }
    expect(JSON.parse(items(read('json'))[0]!.body).Models[0].LatestSampleTime).toBe(1763797700.5);
  });

  it('keeps a JSON document with nothing to convert byte for byte; the operation asked for is used', () => {
    const text = '\n  {"DeviceName":  "d",\n "DeviceFleetName": "f"}\n';
    const list = items(readCaptureText('cli-input-json', text, { name: 'r.json', operation: 'GetDeployments' }));
    expect(list).toEqual([{ index: 0, operation: 'GetDeployments', body: text, line: 2, source: 'r.json:2', device: 'd', fleet: 'f' }]);
    const converted = items(
      readCaptureText(
        'cli-input-json',
        '{"AgentVersion":"1","DeviceName":"d","DeviceFleetName":"f","AgentMetrics":[{"Timestamp":"2025-11-22T07:48:20Z"}]}',
        { name: 'r' },
      ),
    );
    expect(converted[0]!.body).toBe(
      emitCliInputJson({ AgentVersion: '1', DeviceName: 'd', DeviceFleetName: 'f', AgentMetrics: [{ Timestamp: 1763797700 }] }),
    );
  });

  it('says what is wrong, with the line: a syntax error, a duplicate key, two YAML documents, an array, an empty file', () => {
    const one = (format: 'cli-input-json' | 'cli-input-yaml', text: string) => problems(readCaptureText(format, text, { name: 'd' }));
    expect(one('cli-input-json', '{\n  "DeviceName": "d",\n  "DeviceFleetName": \n}')[0]).toMatchObject({ line: 4, source: 'd:4' });
    expect(one('cli-input-json', '{"a":1,\n"a":2}')[0]!.line).toBe(2);
    expect(one('cli-input-yaml', 'DeviceName: a\n---\nDeviceName: b\n')[0]!.problem).toMatch(/more than one document/);
    expect(one('cli-input-json', '[1]')[0]!.problem).toBe('the document is not a JSON object of request members');
    expect(one('cli-input-yaml', '- 1\n')[0]!.problem).toBe('the document is not a YAML mapping of request members');
    expect(one('cli-input-yaml', '\n \n')[0]!.problem).toBe('the file is empty: no request document');
  });
});
