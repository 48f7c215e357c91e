/**
 * The capture of every format in test/fixtures/captures (written by real services: make-fixtures.ts,
 * record-playwright-har.ts; Firefox's and Postman's HAR by hand, to their exporters' shapes) opens as its
 * format, detected, with its items, recorded outcomes, problems and skips.
 */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { CaptureFormat, CaptureRecord } from '../../../src/common/capture/types.ts';
import { readCaptureFiles } from '../../../src/node/capture/read-capture.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'captures');

/** One word per record: the item's operation and recorded kind/error type, "problem", or "skip". */
const word = (r: CaptureRecord): string =>
  'item' in r
    ? [r.item.operation, r.item.recorded?.kind, r.item.recorded?.errorType].filter(Boolean).join(' ')
    : 'problem' in r
      ? `problem at ${r.problem.line}`
      : 'skip';

const ops = ['SendHeartbeat', 'GetDeviceRegistration', 'GetDeployments', 'SendHeartbeat'];
const TABLE: [file: string, format: CaptureFormat, words: string[]][] = [
  [
    'history-export.jsonl',
    'history-jsonl',
    [
      'SendHeartbeat success',
      'GetDeviceRegistration success',
      'GetDeployments success',
      'SendHeartbeat service-error ValidationException',
      'SendHeartbeat transport-error refused',
    ],
  ],
  [
    'history-export.har',
    'har',
    [
      'SendHeartbeat success',
      'GetDeviceRegistration success',
      'GetDeployments success',
      'SendHeartbeat service-error ValidationException',
      'SendHeartbeat transport-error',
    ],
  ],
  [
    'endpoint-capture.jsonl',
    'endpoint-capture',
    [
      'SendHeartbeat success',
      'GetDeviceRegistration success',
      'GetDeployments success',
      'SendHeartbeat service-error ValidationException',
      'skip',
    ],
  ],
  [
    'playwright-chromium.har',
    'har',
    [
      'skip',
      'skip',
      'SendHeartbeat success',
      'GetDeviceRegistration success',
      'SendHeartbeat service-error ValidationException',
      'GetDeployments service-error ThrottlingException',
      'skip',
      'SendHeartbeat transport-error',
    ],
  ],
  [
    'devtools-style.har',
    'har',
    ['skip', 'SendHeartbeat success', 'SendHeartbeat service-error ValidationException', 'skip', 'GetDeviceRegistration transport-error'],
  ],
  // Firefox's "Save All As HAR" (HTTP/1.1 header case, postData.params, a page's favicon) and a Postman
  // capture session's HAR export (PostmanRuntime, pretty-printed bodies, no pages): written to their exporters' shapes.
  [
    'firefox.har',
    'har',
    ['SendHeartbeat success', 'SendHeartbeat service-error ValidationException', 'skip', 'GetDeviceRegistration success'],
  ],
  ['postman.har', 'har', ['SendHeartbeat success', 'GetDeployments success', 'SendHeartbeat service-error InvalidSignatureException']],
  ['copy-as-curl.sh', 'curl', ops],
  ['copy-as-aws.txt', 'aws-cli', ops],
  ['request.json', 'cli-input-json', ['SendHeartbeat']],
  ['request.yaml', 'cli-input-yaml', ['SendHeartbeat']],
  ['payloads.ndjson', 'ndjson', ['SendHeartbeat', 'problem at 2', 'SendHeartbeat', 'GetDeployments']],
];

for (const [file, format, words] of TABLE)
  it(`${file} opens as ${format}`, async () => {
    const formats: CaptureFormat[] = [];
    const records: CaptureRecord[] = [];
    for await (const record of readCaptureFiles([join(FIXTURES, file)], { onFormat: (_f, f) => formats.push(f) })) records.push(record);
    expect(formats).toEqual([format]);
    expect(records.map(word)).toEqual(words);
  });
