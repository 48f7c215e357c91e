/**
 * The application menu: File (open, import, save, export the history), Edit, View (zoom, full screen,
 * presenter mode), Help (about). What
 * the page must do (load a file, save its document) goes to it as a MenuCommand; the rest stays in main.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { HistoryExportFormat } from '../src/common/api.ts';

export interface MenuActions {
  open(): void;
  import(): void;
  save(): void;
  exportHistory(format: HistoryExportFormat): void;
  openHistoryFolder(): void;
  presenter(): void;
  about(): void;
}

export interface MenuOptions {
  /** macOS puts the app menu first and About in it. */
  mac: boolean;
  devTools: boolean;
}

export function menuTemplate(actions: MenuActions, { mac, devTools }: MenuOptions): MenuItemConstructorOptions[] {
  const about: MenuItemConstructorOptions = { label: 'About Heartbeat Composer', click: () => actions.about() };
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'Open Request…', accelerator: 'CmdOrCtrl+O', click: () => actions.open() },
      { label: 'Import…', accelerator: 'CmdOrCtrl+Shift+O', click: () => actions.import() },
      { label: 'Save Request…', accelerator: 'CmdOrCtrl+S', click: () => actions.save() },
      { type: 'separator' },
      {
        label: 'Export History',
        submenu: [
          { label: 'As JSON Lines…', click: () => actions.exportHistory('jsonl') },
          { label: 'As HAR…', click: () => actions.exportHistory('har') },
        ],
      },
      { label: 'Show History Folder', click: () => actions.openHistoryFolder() },
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...(devTools ? ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as MenuItemConstructorOptions[]) : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
      { label: 'Presenter Mode', accelerator: 'CmdOrCtrl+Shift+P', click: () => actions.presenter() },
    ],
  };
  const help: MenuItemConstructorOptions = { label: '&Help', role: 'help', submenu: mac ? [] : [about] };
  const appMenu: MenuItemConstructorOptions = {
    label: 'Heartbeat Composer',
    submenu: [
      about,
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit' },
    ],
  };
  return mac ? [appMenu, file, edit, view, help] : [file, edit, view, help];
}
