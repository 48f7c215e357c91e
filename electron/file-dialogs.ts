/**
 * The menu's native dialogs: pick a file to open or import (read here and handed to the page as text, or,
 * past 16 MiB, read by the page a piece at a time), and export the history to a file the user picks. Main
 * reads and writes only what the user chose.
 */
import { randomUUID } from 'node:crypto';
import { open, readFile, stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { BrowserWindow, Dialog } from 'electron';
import type { HistoryExportFormat, HeartbeatApi } from '../src/common/api.ts';
import { HostError } from '../src/node/host/host-error.ts';
import type { MenuCommand } from './channels.ts';

/**
 * The largest file handed to the page whole (a request is at most 16 MiB). A larger one opens in the Runs
 * view (docs/runs.md#the-run-view), which reads it from here in pieces (PickedFiles).
 */
export const MAX_OPEN_BYTES = 16 * 1024 * 1024;

/** The most one readPickedFile call returns. */
export const MAX_PIECE_BYTES = 4 * 1024 * 1024;

/**
 * The large files the user picked in the Open dialog, each under an id the page cannot guess: the page
 * reads those and nothing else. The last few picks are kept (a capture may be read again as another format).
 */
export class PickedFiles {
  private readonly paths = new Map<string, string>();
  constructor(private readonly keep = 4) {}

  add(path: string): string {
    const id = randomUUID();
    this.paths.set(id, path);
    for (const oldest of this.paths.keys()) if (this.paths.size > this.keep) this.paths.delete(oldest);
    return id;
  }

  /** Up to `length` bytes from `offset` (an empty array at the end); throws a sentence for anything else. */
  async read(named: Record<string, unknown>): Promise<Uint8Array<ArrayBuffer>> {
    const { file, offset, length } = named;
    const path = typeof file === 'string' ? this.paths.get(file) : undefined;
    if (!path) throw new HostError('That file was not picked in this session; open it again from File > Open.');
    if (!Number.isSafeInteger(offset) || (offset as number) < 0 || !Number.isSafeInteger(length) || (length as number) < 1)
      throw new HostError('Read a picked file with a whole offset of 0 or more and a length of 1 or more.');
    const size = Math.min(length as number, MAX_PIECE_BYTES);
    const handle = await open(path, 'r').catch(() => {
      throw new HostError(`"${basename(path)}" can no longer be read.`);
    });
    try {
      const buffer = new Uint8Array(size);
      const { bytesRead } = await handle.read(buffer, 0, size, offset as number);
      return bytesRead === size ? buffer : buffer.slice(0, bytesRead);
    } finally {
      await handle.close();
    }
  }
}

type PickDialog = Pick<Dialog, 'showOpenDialog'>;
type SaveDialog = Pick<Dialog, 'showSaveDialog'>;

const FILTERS = {
  open: [
    { name: 'Requests and captures', extensions: ['json', 'yaml', 'yml', 'ndjson', 'jsonl', 'har'] },
    { name: 'All files', extensions: ['*'] },
  ],
  import: [
    { name: 'AWS CLI commands and inputs', extensions: ['sh', 'txt', 'json', 'yaml', 'yml'] },
    { name: 'All files', extensions: ['*'] },
  ],
};

/** Asks for a file and reads it; undefined when the user cancels. Throws a sentence when it cannot be read. */
export async function pickFile(
  dialog: PickDialog,
  window: BrowserWindow,
  command: 'open' | 'import',
  large?: PickedFiles,
): Promise<MenuCommand | undefined> {
  const picked = await dialog.showOpenDialog(window, {
    title: command === 'open' ? 'Open a request' : 'Import a request',
    properties: ['openFile'],
    filters: FILTERS[command],
  });
  const path = picked.canceled ? undefined : picked.filePaths[0];
  if (!path) return undefined;
  const fileName = basename(path);
  const size = (await stat(path).catch(() => undefined))?.size;
  if (size === undefined) throw new Error(`"${fileName}" could not be read.`);
  if (size > MAX_OPEN_BYTES) {
    if (command === 'open' && large) return { command: 'open-file', fileName, size, file: large.add(path) };
    throw new Error(`"${fileName}" is ${(size / 1048576).toFixed(1)} MiB; a request can be at most 16 MiB.`);
  }
  const text = await readFile(path, 'utf8').catch(() => {
    throw new Error(`"${fileName}" could not be read.`);
  });
  return { command, fileName, text };
}

/** Exports the whole history and saves it where the user says; the file name, or undefined when cancelled. */
export async function exportHistoryToFile(
  dialog: SaveDialog,
  window: BrowserWindow,
  api: HeartbeatApi,
  format: HistoryExportFormat,
): Promise<string | undefined> {
  const exported = await api.history.export({}, format);
  const chosen = await dialog.showSaveDialog(window, {
    title: 'Export the history',
    defaultPath: exported.fileName,
    filters: [format === 'har' ? { name: 'HAR', extensions: ['har'] } : { name: 'JSON Lines', extensions: ['jsonl'] }],
  });
  if (chosen.canceled || !chosen.filePath) return undefined;
  try {
    await writeFile(chosen.filePath, exported.text);
  } catch {
    throw new Error(`The history could not be written to "${chosen.filePath}"; choose another folder.`);
  }
  return basename(chosen.filePath);
}
