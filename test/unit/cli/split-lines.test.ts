/** The line splitter every streamed input goes through, and how replay tells a pretty-printed document from NDJSON (src/node/engine/payloads.ts). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPayloads, splitLines, type Line } from '../../../src/node/engine/payloads.ts';

async function* chunks(...parts: Array<string | Buffer>): AsyncGenerator<Buffer> {
  for (const part of parts) yield Buffer.isBuffer(part) ? part : Buffer.from(part);
}

async function lines(source: AsyncIterable<Buffer>, max?: number): Promise<Line[]> {
  const out: Line[] = [];
  for await (const line of splitLines(source, max)) out.push(line);
  return out;
}

describe('splitLines', () => {
  it('splits across chunk boundaries, drops \\r of CRLF, keeps blank lines and a last line without a break', async () => {
    expect(await lines(chunks('{"a":', '1}\r\n\nsecond', ' line\nlast'))).toEqual([
      { number: 1, text: '{"a":1}', end: 9 },
      { number: 2, text: '', end: 10 },
      { number: 3, text: 'second line', end: 22 },
      { number: 4, text: 'last', end: 26 },
    ]);
  });

  it('counts bytes, not characters, and decodes UTF-8 split between chunks', async () => {
    const euro = Buffer.from('€');
    expect(
      await lines(chunks(Buffer.concat([Buffer.from('x'), euro.subarray(0, 1)]), Buffer.concat([euro.subarray(1), Buffer.from('\n')]))),
    ).toEqual([{ number: 1, text: 'x€', end: 5 }]);
  });

  it('reports a line that is not UTF-8 and one over the limit, and goes on', async () => {
    const out = await lines(chunks(Buffer.from([0x7b, 0xe9, 0x7d, 0x0a]), 'x'.repeat(40), 'y'.repeat(30), '\nok\n'), 64);
    expect(out).toEqual([
      { number: 1, problem: 'the line is not UTF-8 text', end: 4 },
      { number: 2, problem: 'the line is longer than 64 bytes (70)', end: 75 },
      { number: 3, text: 'ok', end: 78 },
    ]);
  });

  it('yields nothing for an empty input', async () => {
    expect(await lines(chunks())).toEqual([]);
  });
});

describe('readPayloads: a pretty-printed document, or NDJSON whose first line is torn', () => {
  it('reads an indented multi-line document as one payload, and an NDJSON file with a torn first line line by line', async () => {
    const d = mkdtempSync(join(tmpdir(), 'hb-gather-'));
    const doc = join(d, 'doc.json');
    writeFileSync(
      doc,
      '{\n  "AgentVersion": "1",\n  "AgentMetrics": [\n    {"Dimension": "cpu", "MetricName": "load", "Value": 1, "Timestamp": 1}\n  ],\n  "DeviceName": "a",\n  "DeviceFleetName": "f"\n}\n',
    );
    const torn = join(d, 'torn.ndjson');
    writeFileSync(
      torn,
      '{"AgentVersion": "1", "DeviceN\n{"AgentVersion":"1","DeviceName":"b","DeviceFleetName":"f"}\n{"AgentVersion":"1","DeviceName":"c","DeviceFleetName":"f"}\n',
    );
    const seen: string[] = [];
    for await (const item of readPayloads([doc, torn]))
      seen.push(
        'problem' in item
          ? `${item.source.replace(d, '')}: ${item.problem}`
          : `${item.source.replace(d, '')}: ${JSON.parse(item.body).DeviceName}`,
      );
    expect(seen).toEqual([
      '/doc.json:1: a',
      '/torn.ndjson:1: the line is not JSON (a torn or foreign line)',
      '/torn.ndjson:2: b',
      '/torn.ndjson:3: c',
    ]);
  });
});
