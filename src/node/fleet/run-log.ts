/**
 * A fleet run's log: one NDJSON line per request (docs/fleet.md#the-run-log), written through a file
 * stream (lines are gathered while a write is under way, so thousands a second cost few system calls).
 * Created new (never appended to another run's log); closing flushes it and fsyncs.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppError } from '../../common/errors.ts';
import type { RunLogSink } from './run.ts';

export async function openRunLog(path: string): Promise<RunLogSink> {
  try {
    await mkdir(dirname(path), { recursive: true });
  } catch (error) {
    throw new AppError(
      'BAD_INPUT',
      `Cannot create the folder of the run log ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
    );
  }
  const stream: WriteStream = createWriteStream(path, { flags: 'wx', flush: true });
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new AppError(
          'BAD_INPUT',
          error.code === 'EEXIST'
            ? `The run log ${path} already exists; name a new file (a run log is never appended to).`
            : `Cannot write the run log ${path} (${error.code ?? error.message}).`,
        ),
      ),
    );
  });
  let failure: Error | undefined;
  stream.on('error', (error) => (failure ??= error));
  return {
    path,
    write(line) {
      if (!failure) stream.write(line);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        stream.end(() => (failure ? reject(new AppError('HISTORY', `Writing the run log ${path} failed: ${failure.message}`)) : resolve()));
      }),
  };
}
