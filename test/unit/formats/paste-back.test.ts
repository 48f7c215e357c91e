/**
 * Issue 14, item 19: whatever "Copy as" writes pastes back into the composer as the same request,
 * aimed at the same target: the AWS CLI line, curl, the JavaScript, Python and R programs,
 * cli-input-json and cli-input-yaml. Property-based over valid documents with awkward text.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { exportText, exampleRequest, parseCurlCommand, parseProgram } from '../../../src/common/formats/index.ts';
import { forEachTimestamp, requestSchema } from '../../../src/common/model/index.ts';
import { COPY_FORMATS, exportTarget } from '../../../src/renderer/composables/use-composer-io.ts';
import { detectFormat, importForComposer } from '../../../src/renderer/io/import.ts';
import type { TargetSpec } from '../../../src/common/api.ts';
import { heartbeat } from './arbitraries.ts';

const LOCAL = 'http://127.0.0.1:41234';
const TARGETS: TargetSpec[] = [
  { kind: 'local' },
  { kind: 'region', region: 'eu-west-1' },
  { kind: 'url', url: 'https://edge.example.test:8443', region: 'ap-south-1' },
];

/** The timestamps of a document, and the document with each set to 0. */
function splitTimestamps(doc: unknown): { rest: unknown; times: number[] } {
  const rest: unknown = structuredClone(doc);
  const times: number[] = [];
  forEachTimestamp(requestSchema('SendHeartbeat'), rest, (_p, value, set) => {
    if (typeof value === 'number') times.push(value);
    set(0);
  });
  return { rest, times };
}

/** Equal, with timestamps to the microsecond: Python's datetime keeps no more (the other formats are compared exactly). */
function expectSameToTheMicrosecond(actual: unknown, expected: unknown): void {
  const a = splitTimestamps(actual);
  const e = splitTimestamps(expected);
  expect(a.rest).toEqual(e.rest);
  expect(a.times).toHaveLength(e.times.length);
  a.times.forEach((t, i) => expect(Math.abs(t - e.times[i]!)).toBeLessThanOrEqual(1.5e-6));
}

function pasteBack(format: string, doc: unknown, target: TargetSpec) {
  const text = exportText(format as never, doc, exportTarget(target, LOCAL));
  const result = importForComposer(text, 'auto', '');
  return { text, result };
}

describe('every Copy as format pastes back (issue 14, item 19)', () => {
  it('covers every format of the Copy as menu', () => {
    expect(COPY_FORMATS.map((f) => f.format).sort()).toEqual(['aws-cli', 'curl', 'js', 'json', 'python', 'r', 'yaml']);
  });

  for (const { format, label } of COPY_FORMATS) {
    it(`${label}: the same request, the same target`, () => {
      fc.assert(
        fc.property(heartbeat(), fc.constantFrom(...TARGETS), (doc, target) => {
          const { text, result } = pasteBack(format, doc, target);
          expect(
            result.problems.filter((p) => p.severity !== 'warning'),
            text,
          ).toEqual([]);
          const back = JSON.parse(result.text!);
          if (format === 'python') expectSameToTheMicrosecond(back, doc);
          else expect(back).toEqual(doc);
          expect(Object.keys(back)).toEqual(Object.keys(doc));
          if (format !== 'json' && format !== 'yaml') {
            const expected = exportTarget(target, LOCAL);
            expect(result.endpointUrl ?? 'regional').toBe(
              expected.endpointUrl ?? (format === 'curl' ? `https://edge.sagemaker.${expected.region}.amazonaws.com` : 'regional'),
            );
            if (format !== 'aws-cli' || expected.region) expect(result.region).toBe(expected.region ?? 'us-east-1');
          }
        }),
        { numRuns: 60 },
      );
    });
  }

  it('the full example and whole-millisecond timestamps come back exactly from every format', () => {
    const doc = {
      ...(exampleRequest('SendHeartbeat') as Record<string, unknown>),
      AgentMetrics: [{ MetricName: 'cpu-usage', Value: -12.5, Timestamp: 1764460800.125 }],
    };
    for (const { format } of COPY_FORMATS) expect(JSON.parse(pasteBack(format, doc, { kind: 'local' }).result.text!), format).toEqual(doc);
  });

  it("names what it read: the app's curl is curl (not YAML), plain JSON is wire JSON", () => {
    const doc = { AgentVersion: '1.0', DeviceName: 'cam-1', DeviceFleetName: 'fleet' };
    expect(detectFormat(exportText('curl', doc, { endpointUrl: LOCAL }))).toBe('curl');
    expect(detectFormat(exportText('js', doc))).toBe('js');
    expect(detectFormat(exportText('python', doc))).toBe('python');
    expect(detectFormat(exportText('r', doc))).toBe('r');
    expect(importForComposer(JSON.stringify(doc), 'auto', 'a.json').label).toBe('wire JSON');
    expect(
      importForComposer(
        '{"AgentVersion":"1","DeviceName":"d","DeviceFleetName":"f","AgentMetrics":[{"Timestamp":"2026-11-30T00:00:00Z"}]}',
        'auto',
        'a.json',
      ).label,
    ).toMatch(/^cli-input-json/);
    expect(importForComposer(exportText('curl', doc, { endpointUrl: LOCAL }), 'auto').label).toBe('curl command');
  });

  it('says what is wrong with a curl command or program it cannot read', () => {
    expect(parseCurlCommand('curl -d @body.json http://x/SendHeartbeat').problems[0]!.message).toMatch(/read from the file "body.json"/);
    expect(parseCurlCommand('curl http://x/SendHeartbeat').problems[0]!.message).toMatch(/no --data-binary body/);
    expect(parseCurlCommand(`curl --data-binary '{"a":' http://x`).problems[0]!.message).toMatch(/In the --data-binary body/);
    expect(parseProgram('print(1)', 'python').problems[0]!.message).toMatch(/No request found in the Python program/);
    const bad = parseProgram('response = client.send_heartbeat(\n  DeviceName=open("x").read(),\n)', 'python');
    expect(bad.doc).toBeUndefined();
    expect(bad.problems[0]).toMatchObject({ line: 2 });
  });
});
