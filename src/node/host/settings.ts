/**
 * Host settings (timeouts, attempts, CA bundle, history folder), persisted as a small JSON file beside
 * the history folder. A damaged file falls back to the defaults rather than stopping the app.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import type { HostSettings } from '../../common/api.ts';
import { DEFAULT_MAX_ATTEMPTS } from '../engine/retry.ts';
import { DEFAULT_TIMEOUT_MS } from '../transport/dispatcher.ts';
import { HostError } from './host-error.ts';

export function defaultSettings(historyDir: string): HostSettings {
  return { timeoutMs: DEFAULT_TIMEOUT_MS, maxAttempts: DEFAULT_MAX_ATTEMPTS, caBundle: '', historyDir };
}

/** settings.json next to the history folder: <data>/heartbeat-composer/settings.json. */
export function defaultSettingsFile(historyDir: string): string {
  return join(dirname(historyDir), 'settings.json');
}

/** Applies a patch, checking every field; throws a HostError sentence for the first bad one. */
export function applySettings(base: HostSettings, patch: unknown): HostSettings {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) throw new HostError('Settings must be an object of fields to change.');
  const next = { ...base };
  for (const [name, value] of Object.entries(patch)) {
    switch (name) {
      case 'timeoutMs':
        if (!Number.isInteger(value) || (value as number) < 100 || (value as number) > 600_000) throw new HostError('The timeout must be a whole number of milliseconds from 100 to 600000.');
        next.timeoutMs = value as number;
        break;
      case 'maxAttempts':
        if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 10) throw new HostError('Max attempts must be a whole number from 1 to 10.');
        next.maxAttempts = value as number;
        break;
      case 'caBundle':
        if (typeof value !== 'string' || (value !== '' && !isAbsolute(value))) throw new HostError('The CA bundle must be an absolute path to a PEM file, or empty for none.');
        next.caBundle = value;
        break;
      case 'historyDir':
        if (typeof value !== 'string' || !isAbsolute(value)) throw new HostError('The history location must be an absolute folder path.');
        next.historyDir = value;
        break;
      default:
        throw new HostError(`"${name}" is not a setting; use timeoutMs, maxAttempts, caBundle or historyDir.`);
    }
  }
  return next;
}

export async function loadSettings(file: string, defaults: HostSettings): Promise<HostSettings> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return defaults;
  }
  try {
    return applySettings(defaults, JSON.parse(text));
  } catch {
    return defaults;
  }
}

/** Written to a temporary file and renamed, so a crash never leaves half a settings file. */
export async function saveSettings(file: string, settings: HostSettings): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(settings, null, 2) + '\n', { mode: 0o600 });
  await rename(temporary, file);
}
