/**
 * The menu's native dialogs: pick a file to open or import (read here, handed to the page as text),
 * and export the history to a file the user picks. Main reads and writes only what the user chose.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { BrowserWindow, Dialog } from 'electron';
import type { HistoryExportFormat, HeartbeatApi } from '../src/common/api.ts';
import type { MenuCommand } from './channels.ts';

/**
 * The same limit as the page's own Open (a request is at most 16 MiB); a file of many requests opens in
 * the Runs view (docs/runs.md#the-run-view), whose own Open streams captures of any size.
 */
export const MAX_OPEN_BYTES = 16 * 1024 * 1024;

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
export async function pickFile(dialog: PickDialog, window: BrowserWindow, command: 'open' | 'import'): Promise<MenuCommand | undefined> {
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
  if (size > MAX_OPEN_BYTES) throw new Error(`"${fileName}" is ${(size / 1048576).toFixed(1)} MiB; a request can be at most 16 MiB.`);
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
