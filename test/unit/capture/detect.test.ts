/** detectCaptureFormat (docs/captures.md#detection): the text decides when it is clear, the file name settles the rest. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DETECT_HEAD_CHARS, detectCaptureFormat } from '../../../src/common/capture/detect.ts';
import type { CaptureFormat } from '../../../src/common/capture/types.ts';
import { emitCliInputJson } from '../../../src/common/formats/index.ts';
import { exchangeLine, heartbeat, outcomeLine, requestLine, runLine, SAMPLES } from './samples.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'captures');
const json = (v: unknown) => JSON.stringify(v);
const payloads = [json(heartbeat('a')), json(heartbeat('b'))].join('\n') + '\n';

const TABLE: [label: string, text: string, name: string, format: CaptureFormat, reason: string][] = [
  ['the app HAR export', SAMPLES.har!.text, '', 'har', 'the text starts with {"log": (a HAR document)'],
  [
    'a pretty-printed HAR',
    readFileSync(join(FIXTURES, 'devtools-style.har'), 'utf8'),
    'x.txt',
    'har',
    'the text starts with {"log": (a HAR document)',
  ],
  ['a HAR by name only', '', 'session.har', 'har', 'the file name ends in .har'],
  ['a HAR named so, starting oddly', '\n\n  [', 'session.HAR', 'har', 'the file name ends in .har'],
  ['a history export', SAMPLES.history!.text, 'x.json', 'history-jsonl', 'the first line is a request line of a history export'],
  [
    'a history starting with an outcome',
    json(outcomeLine('a', { kind: 'cancelled', message: 'x' })),
    '',
    'history-jsonl',
    'the first line is an outcome line of a history export',
  ],
  ['a history starting with a run line', json(runLine), '', 'history-jsonl', 'the first line is a fleet run line of a history export'],
  ['an endpoint capture', SAMPLES.capture!.text, '', 'endpoint-capture', "the first line is an exchange line of the endpoint's capture"],
  ['NDJSON payloads', payloads, '', 'ndjson', 'the first line is a JSON object and more lines follow (NDJSON: one payload per line)'],
  [
    'NDJSON named .json',
    payloads,
    'p.json',
    'ndjson',
    'the first line is a JSON object and more lines follow (NDJSON: one payload per line)',
  ],
  [
    'a fleet run log',
    json({ time: 't', operation: 'SendHeartbeat', status: 200, body: heartbeat('a') }),
    '',
    'ndjson',
    'the first line is an {operation, body} line of a fleet run log',
  ],
  [
    'a fleet dry run',
    json({ offsetMs: 0, operation: 'GetDeviceRegistration', body: { DeviceName: 'a', DeviceFleetName: 'f' } }),
    '',
    'ndjson',
    'the first line is an {operation, body} line of a fleet dry run',
  ],
  ['one payload line', json(heartbeat('a')) + '\n', '', 'cli-input-json', 'the text is one JSON document on one line'],
  ['one payload line named .ndjson', json(heartbeat('a')) + '\n', 'one.ndjson', 'ndjson', 'the file name ends in .ndjson'],
  ['one payload line named .jsonl', json(heartbeat('a')), 'one.jsonl', 'ndjson', 'the file name ends in .jsonl'],
  ['a pretty-printed document', emitCliInputJson(heartbeat('a')), '', 'cli-input-json', 'the text is one JSON document over several lines'],
  ['a pretty-printed document named .ndjson', emitCliInputJson(heartbeat('a')), 'x.ndjson', 'ndjson', 'the file name ends in .ndjson'],
  ['a JSON array', '[\n  1\n]', '', 'cli-input-json', 'the text is JSON that starts with ['],
  [
    'a torn first line, then history lines',
    '{"v":1,"ty\n' + json(requestLine('a', heartbeat('a'))),
    '',
    'history-jsonl',
    'line 2 is a request line of a history export (line 1 is not one)',
  ],
  [
    'garbage, then capture lines',
    'Xx garbage\n' + json(exchangeLine('a', heartbeat('a'), 'SendHeartbeat', {})),
    '',
    'endpoint-capture',
    "line 2 is an exchange line of the endpoint's capture (line 1 is not one)",
  ],
  [
    'a torn first line, then payloads',
    '{"Agent\n' + payloads,
    '',
    'ndjson',
    'line 2 is a JSON object on its own line (NDJSON; line 1 is not one)',
  ],
  ['curl commands', SAMPLES.curl!.text, 'x.txt', 'curl', 'the text starts with a curl command'],
  ['a curl command after a prompt', "$ curl --data-binary '{}' http://h/SendHeartbeat", '', 'curl', 'the text starts with a curl command'],
  ['aws command lines', SAMPLES.aws!.text, '', 'aws-cli', 'the text starts with an aws command line'],
  [
    'an aws command with the environment',
    'AWS_PROFILE=dev /usr/local/bin/aws sagemaker-edge get-deployments',
    '',
    'aws-cli',
    'the text starts with an aws command line',
  ],
  [
    'a shell script of aws lines',
    'set -e\naws sagemaker-edge get-deployments --device-name a',
    'replay.sh',
    'aws-cli',
    'the file name ends in .sh and its first command is an aws command line',
  ],
  [
    'a shell script of curl lines',
    'set -e\ncurl http://h/SendHeartbeat',
    'replay.sh',
    'curl',
    'the file name ends in .sh and its first command is not an aws command line',
  ],
  ['a .curl file', 'set -e\n', 'x.curl', 'curl', 'the file name ends in .curl'],
  ['cli-input-yaml', SAMPLES.yaml!.text, '', 'cli-input-yaml', 'the text is YAML (it starts with a "key:")'],
  ['cli-input-yaml by name', SAMPLES.yaml!.text, 'r.yml', 'cli-input-yaml', 'the file name ends in .yml'],
  ['a YAML document with ---', '---\nDeviceName: a\n', '', 'cli-input-yaml', 'the text is YAML (it starts with a "key:")'],
  ['a JSON file by name', 'not json', 'r.json', 'cli-input-json', 'the file name ends in .json'],
  ['an empty file', '', '', 'ndjson', 'the file is empty'],
  ['an empty .yaml', '\n', 'e.yaml', 'cli-input-yaml', 'the file name ends in .yaml'],
  ['anything else', 'hello world', '', 'ndjson', 'nothing else matched: read as one payload per line'],
];

describe('detectCaptureFormat', () => {
  for (const [label, text, name, format, reason] of TABLE)
    it(`${label}${name ? ` (${name})` : ''} → ${format}`, () => {
      expect(detectCaptureFormat(text, name)).toEqual({ format, reason });
      // A byte order mark changes nothing.
      expect(detectCaptureFormat(`\uFEFF${text}`, name)).toEqual({ format, reason });
    });

  it('looks at the first 64 KB only: a torn last line of the sample does not count as a line', () => {
    const big = json(heartbeat('x'.repeat(DETECT_HEAD_CHARS)));
    // The sample ends mid-way through the first line: no whole line, so the text is read as one document…
    expect(detectCaptureFormat(big.slice(0, DETECT_HEAD_CHARS)).format).toBe('cli-input-json');
    // …but a whole first line and a torn second one are NDJSON (though the torn line is not read as one).
    const two = (json(heartbeat('a')) + '\n' + big).slice(0, DETECT_HEAD_CHARS);
    expect(detectCaptureFormat(two)).toEqual({
      format: 'ndjson',
      reason: 'the first line is a JSON object and more lines follow (NDJSON: one payload per line)',
    });
    expect(detectCaptureFormat(two, 'big.ndjson').format).toBe('ndjson');
  });
});
