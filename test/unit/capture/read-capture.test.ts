/** readCaptureFiles: real files streamed through a UTF-8 decoder into the capture reader, format per file. */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureText } from '../../../src/common/capture/reader.ts';
import type { CaptureFormat, FormatGuess } from '../../../src/common/capture/types.ts';
import { PayloadSourceError } from '../../../src/node/engine/payloads.ts';
import { readCaptureFiles, type CaptureFileRecord } from '../../../src/node/capture/read-capture.ts';
import { heartbeat, items, problems, SAMPLES } from './samples.ts';

const dir = mkdtempSync(join(tmpdir(), 'hb-read-capture-'));
const file = (name: string, content: string | Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

async function collect(files: string[], options: Parameters<typeof readCaptureFiles>[1] = {}): Promise<CaptureFileRecord[]> {
  const out: CaptureFileRecord[] = [];
  for await (const record of readCaptureFiles(files, options)) out.push(record);
  return out;
}

describe('readCaptureFiles', () => {
  it('reads files of different formats one after another, each detected, each record tagged with its file', async () => {
    const files = Object.values(SAMPLES).map((s) => file(s.name, s.text));
    const formats: [string, CaptureFormat, FormatGuess | undefined][] = [];
    const records = await collect(files, { onFormat: (f, format, guess) => formats.push([f, format, guess]), now: 0 });
    expect(formats.map(([f, format]) => [f, format])).toEqual(Object.values(SAMPLES).map((s, i) => [files[i], s.format]));
    expect(formats.every(([, , guess]) => guess !== undefined && guess.reason.length > 0)).toBe(true);
    for (const [i, s] of Object.values(SAMPLES).entries()) {
      const mine = records.filter((r) => r.file === files[i]);
      expect(mine.every((r) => r.name === files[i])).toBe(true);
      // Items are numbered per file, as the reader of that file numbers them.
      const expected = readCaptureText(s.format, s.text, { name: files[i]!, now: 0 });
      expect(mine.map(({ file: _f, name: _n, ...r }) => r)).toEqual(expected);
    }
  });

  it('reads every file as the format given, and says so without a guess', async () => {
    const path = file('lines.txt', SAMPLES.history!.text);
    const told: unknown[] = [];
    const records = await collect([path], { format: 'ndjson', onFormat: (...args) => told.push(args) });
    expect(told).toEqual([[path, 'ndjson', undefined]]);
    expect(items(records)).toHaveLength(4);
  });

  it('decodes multi-byte characters split between read chunks, and counts the bytes read', async () => {
    // Read streams give 64 KiB chunks: put four-byte characters across every boundary.
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) lines.push(JSON.stringify(heartbeat(`cam-${i}-😀ü`)));
    const text = lines.join('\n') + '\n';
    const path = file('emoji.ndjson', text);
    const position = { bytes: 0 };
    const records = await collect([path], { position });
    expect(problems(records)).toEqual([]);
    expect(items(records).map((i) => i.device)).toEqual(lines.map((_, i) => `cam-${i}-😀ü`));
    expect(position.bytes).toBe(Buffer.byteLength(text));
  });

  it('reads bytes that are not UTF-8 as U+FFFD: the line is a problem, the rest runnable', async () => {
    const path = file(
      'latin1.ndjson',
      Buffer.concat([
        Buffer.from(JSON.stringify(heartbeat('a')) + '\n{"DeviceName":"caf'),
        Buffer.from([0xe9]),
        Buffer.from('\n' + JSON.stringify(heartbeat('b')) + '\n'),
      ]),
    );
    const records = await collect([path]);
    expect(items(records).map((i) => i.device)).toEqual(['a', 'b']);
    expect(problems(records)).toEqual([{ line: 2, source: `${path}:2`, problem: 'the line is not UTF-8 text' }]);
  });

  it('detects from the start of a file larger than the detection sample', async () => {
    const big = file('big.har', SAMPLES.har!.text.replace('"entries":[', `"comment":"${'x'.repeat(200_000)}","entries":[`));
    const told: CaptureFormat[] = [];
    const records = await collect([big], { onFormat: (_f, format) => told.push(format) });
    expect(told).toEqual(['har']);
    expect(items(records).map((i) => i.device)).toEqual(['cam-1', '-bad', 'cam-5']);
  });

  it('reads standard input (-) as "stdin", its format detected from the text alone', async () => {
    const module = join(import.meta.dirname, '..', '..', '..', 'src', 'node', 'capture', 'read-capture.ts');
    const script = `import { readCaptureFiles } from ${JSON.stringify(module)};
const out = [];
for await (const r of readCaptureFiles(['-'], { onFormat: (f, format, guess) => out.push({ f, format, guess }) })) out.push(r);
process.stdout.write(JSON.stringify(out));`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdin.end(SAMPLES.curl!.text);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(0);
    const [told, ...records] = JSON.parse(stdout) as [unknown, ...CaptureFileRecord[]];
    expect(told).toEqual({ f: '-', format: 'curl', guess: { format: 'curl', reason: 'the text starts with a curl command' } });
    expect(records.map(({ file, name, ...r }) => [file, name, r])).toEqual(
      readCaptureText('curl', SAMPLES.curl!.text, { name: 'stdin' }).map((r) => ['-', 'stdin', r]),
    );
  });

  it('reads an empty file as nothing', async () => {
    expect(await collect([file('empty.ndjson', '')])).toEqual([]);
  });

  it('fails with one sentence for a file that cannot be read', async () => {
    const missing = join(dir, 'missing.ndjson');
    await expect(collect([missing])).rejects.toThrow(new PayloadSourceError(`Cannot read ${missing}: it does not exist.`));
    await expect(collect([dir])).rejects.toThrow(/^Cannot read .*: it is a folder\.$/);
  });
});
