/**
 * `--capture FILE.jsonl`: one ExchangeLine (src/common/log/entry.ts) per received request, appended
 * through a write stream and flushed on close, so captured traffic can be searched and replayed with
 * the same code as the send side's history log.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import type { ExchangeLine } from '../../common/log/entry.ts';

export class CaptureWriter {
  private failure: string | undefined;

  private constructor(
    readonly path: string,
    private readonly stream: WriteStream,
  ) {
    stream.on('error', (error) => {
      this.failure = `Writing the capture file ${path} failed (${(error as NodeJS.ErrnoException).code ?? error.message}); later requests are not captured.`;
    });
  }

  /** Opens FILE for appending; rejects with a sentence when it cannot be opened. */
  static open(path: string): Promise<CaptureWriter> {
    return new Promise((resolve, reject) => {
      const stream = createWriteStream(path, { flags: 'a' });
      stream.once('error', (error: NodeJS.ErrnoException) => reject(new Error(`Cannot open the capture file ${path} (${error.code ?? error.message}); check that its folder exists and is writable.`)));
      stream.once('open', () => {
        stream.removeAllListeners('error');
        resolve(new CaptureWriter(path, stream));
      });
    });
  }

  /** Why capture stopped, if it did. */
  get error(): string | undefined {
    return this.failure;
  }

  write(line: ExchangeLine): void {
    if (this.failure || this.stream.writableEnded) return;
    this.stream.write(`${JSON.stringify(line)}\n`);
  }

  /** Flushes everything written so far and closes the file. */
  close(): Promise<void> {
    if (this.stream.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.stream.once('close', () => resolve());
      this.stream.end();
    });
  }
}
