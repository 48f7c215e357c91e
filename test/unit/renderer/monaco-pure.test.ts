import { describe, expect, it } from 'vitest';
import { checkText } from '../../../src/common/validation/check-text.ts';
import { problemRanges } from '../../../src/renderer/monaco/ranges.ts';
import { timestampHints } from '../../../src/renderer/monaco/timestamp-hints.ts';
import { minimalReplace } from '../../../src/renderer/monaco/text-diff.ts';

const rangesOf = (text: string) => problemRanges(checkText(text), text);
const covered = (text: string, r: { startLineNumber: number; startColumn: number; endLineNumber: number; endColumn: number }): string => {
  const lines = text.split('\n');
  if (r.startLineNumber !== r.endLineNumber) throw new Error('multi-line range');
  return lines[r.startLineNumber - 1].slice(r.startColumn - 1, r.endColumn - 1);
};

describe('marker ranges', () => {
  const text = `{
  "AgentVersion": "1.0",
  "DeviceName": "bad name",
  "DeviceFleetName": "f",
  "DeviceNmae": "x",
  "Models": [{ "ModelName": "abc", "ModelVersion": "1" }]
}`;

  it('marks a bad value at the value, an unknown member at its name', () => {
    const ranges = rangesOf(text);
    const byPath = Object.fromEntries(ranges.map((r) => [r.path, r]));
    expect(covered(text, byPath['/DeviceName'])).toBe('"bad name"');
    expect(covered(text, byPath['/DeviceNmae'])).toBe('"DeviceNmae"');
    expect(byPath['/DeviceNmae'].message).toContain('Did you mean DeviceName?');
    expect(covered(text, byPath['/Models/0/ModelName'])).toBe('"abc"');
  });

  it('marks a missing member at its parent', () => {
    const missing = '{\n  "AgentVersion": "1.0",\n  "DeviceName": "d"\n}';
    const [r] = rangesOf(missing);
    expect(r.code).toBe('required');
    expect(covered(missing, r)).toBe('{');
    const nested = '{"AgentVersion":"1","DeviceName":"d","DeviceFleetName":"f","DeploymentResult":{"DeploymentModels":[{"Status":"OK"}]}}';
    const enumRange = rangesOf(nested).find((x) => x.code === 'enum')!;
    expect(covered(nested, enumRange)).toBe('"OK"');
  });

  it('marks a syntax error at its character', () => {
    const bad = '{\n  "DeviceName": "d",\n}';
    const [r] = rangesOf(bad);
    expect(r).toMatchObject({ code: 'syntax', startLineNumber: 3, startColumn: 1, endColumn: 2 });
  });
});

describe('timestamp hints', () => {
  it('puts the ISO time right after each timestamp value', () => {
    const text =
      '{"AgentMetrics":[{"Timestamp":1763796503}],"Models":[{"LatestInference":0.5,"ModelMetrics":[{"Timestamp":1}]}],"DeviceName":"1763796503"}';
    const hints = timestampHints(text);
    expect(hints.map((h) => h.label)).toEqual(['2025-11-22T07:28:23Z', '1970-01-01T00:00:00.500Z', '1970-01-01T00:00:01Z']);
    expect(text.slice(0, hints[0].offset).endsWith('1763796503')).toBe(true);
    expect(timestampHints('{"AgentMetrics":[{"Timestamp":"now"}]}')).toEqual([]);
    // Only the range asked for.
    const second = text.indexOf('0.5') + 3;
    expect(timestampHints(text, 'SendHeartbeat', second - 3, second).map((h) => h.offset)).toEqual([second]);
    expect(timestampHints('{')).toEqual([]);
  });
});

describe('minimalReplace', () => {
  it('finds the one changed span', () => {
    expect(minimalReplace('{"a": "dev-1"}', '{"a": "dev-12"}')).toEqual({ start: 12, endBefore: 12, text: '2' });
    expect(minimalReplace('abc', 'abc')).toEqual({ start: 3, endBefore: 3, text: '' });
    expect(minimalReplace('aXc', 'aYYc')).toEqual({ start: 1, endBefore: 2, text: 'YY' });
    expect(minimalReplace('aaa', 'aa')).toEqual({ start: 2, endBefore: 3, text: '' });
  });
});
