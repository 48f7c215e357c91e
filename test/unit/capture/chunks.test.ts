/**
 * The capture reader is incremental: the same text split anywhere (mid-line, mid-string, between the two
 * halves of a surrogate pair or of a CRLF) gives the same records as the whole text at once, and every
 * record leaves no later than the chunk that completes it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCaptureReader, readCaptureText } from '../../../src/common/capture/reader.ts';
import type { CaptureFormat, CaptureRecord } from '../../../src/common/capture/types.ts';
import { SAMPLES } from './samples.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'captures');

const texts: { label: string; format: CaptureFormat; text: string }[] = [
  ...Object.entries(SAMPLES).map(([label, s]) => ({ label, format: s.format, text: s.text })),
  ...Object.entries(SAMPLES).map(([label, s]) => ({ label: `${label} with CRLF`, format: s.format, text: s.text.replace(/\n/g, '\r\n') })),
  { label: 'playwright HAR', format: 'har', text: readFileSync(join(FIXTURES, 'playwright-chromium.har'), 'utf8') },
  { label: 'devtools HAR', format: 'har', text: readFileSync(join(FIXTURES, 'devtools-style.har'), 'utf8') },
];

function readInChunks(format: CaptureFormat, text: string, cuts: number[]): CaptureRecord[] {
  const reader = createCaptureReader(format, { name: 'f', now: 0 });
  const out: CaptureRecord[] = [];
  let from = 0;
  for (const cut of [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b)) {
    out.push(...reader.push(text.slice(from, cut)));
    from = cut;
  }
  out.push(...reader.push(text.slice(from)));
  out.push(...reader.end());
  return out;
}

describe('chunk boundaries', () => {
  for (const { label, format, text } of texts)
    it(`${label}: any split gives the same records`, () => {
      const whole = readCaptureText(format, text, { name: 'f', now: 0 });
      expect(whole.length).toBeGreaterThan(0);
      fc.assert(
        fc.property(fc.array(fc.nat(), { maxLength: 40 }), (cuts) => {
          expect(readInChunks(format, text, cuts)).toEqual(whole);
        }),
        { numRuns: 150 },
      );
      // One character at a time, the worst case.
      expect(
        readInChunks(
          format,
          text,
          Array.from({ length: text.length }, (_, i) => i),
        ),
      ).toEqual(whole);
    });

  it('gives each record out with the chunk that completes it', () => {
    const { text } = SAMPLES.ndjson!;
    const reader = createCaptureReader('ndjson', { name: 'f' });
    const firstBreak = text.indexOf('\n');
    expect(reader.push(text.slice(0, firstBreak))).toEqual([]);
    expect(reader.push('\n')).toHaveLength(1);
    const har = SAMPLES.har!.text;
    const harReader = createCaptureReader('har', { name: 'h' });
    const entryEnd = har.indexOf('}},\n') + 2;
    expect(harReader.push(har.slice(0, entryEnd - 1))).toEqual([]);
    expect(harReader.push(har.slice(entryEnd - 1, entryEnd))).toHaveLength(1);
  });
});
