/** The history as one object: the writer for appends, the index kept current with what it appends. */
import type { LogLine } from '../../common/log/entry.ts';
import { HistoryIndex } from './history-index.ts';
import { HistoryWriter } from './log-file.ts';
import { historyDir } from './paths.ts';

export class HistoryStore {
  private constructor(
    readonly writer: HistoryWriter,
    readonly index: HistoryIndex,
  ) {}

  /** Opens (and repairs) the log in `dir`, default the user's history folder, and indexes it. */
  static async open(dir: string = historyDir(), options: { maxFileBytes?: number } = {}): Promise<HistoryStore> {
    const writer = await HistoryWriter.open(dir, options);
    const index = await HistoryIndex.open(dir);
    return new HistoryStore(writer, index);
  }

  async record(line: LogLine, durable: boolean): Promise<void> {
    const at = await this.writer.append(line, durable);
    this.index.add(line, at);
  }

  close(): Promise<void> {
    return this.writer.close();
  }
}

/** Appends to the history without an index: for commands that only write it (send, replay). */
export interface HistoryLog {
  record(line: LogLine, durable: boolean): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens (and repairs) the log in `dir` for appending only. Unlike `HistoryStore.open` it does not read
 * the whole history to index it, which a command that never queries it would pay for at every start
 * (and in memory) as the history grows.
 */
export async function openHistoryLog(dir: string = historyDir(), options: { maxFileBytes?: number } = {}): Promise<HistoryLog> {
  const writer = await HistoryWriter.open(dir, options);
  return {
    record: async (line, durable) => {
      await writer.append(line, durable);
    },
    close: () => writer.close(),
  };
}
