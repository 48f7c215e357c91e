/**
 * Entry of the desktop app's main process (bundled to dist/electron/main.cjs by `vite build`, the
 * electronMain environment of vite.config.ts): the preload beside it, the renderer in dist/ui. All logic is in
 * desktop.ts, which takes Electron's modules as a parameter so it can be tested without the binary.
 */
import * as electron from 'electron';
import { join } from 'node:path';
import { startDesktop } from './desktop.ts';

startDesktop(electron, { preloadPath: join(__dirname, 'preload.cjs'), uiDir: join(__dirname, '..', 'ui'), env: process.env }).catch(
  (error: unknown) => {
    console.error(`heartbeat: the desktop app failed: ${error instanceof Error ? error.message : String(error)}`);
    electron.app.exit(1);
  },
);
