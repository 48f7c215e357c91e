/**
 * Host settings (timeouts, attempts, CA bundle, history folder, retention), persisted as a small JSON
 * file in the app's configuration folder (never beside a history folder the user chose: a folder given
 * with --history-dir must not decide which CA bundle is trusted). A damaged file falls back to the
 * defaults rather than stopping the app.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import type { HostSettings } from '../../common/api.ts';
import { DEFAULT_MAX_ATTEMPTS } from '../engine/retry.ts';
import { configDir, historyDir as defaultHistoryDir } from '../history/paths.ts';
import { DEFAULT_TIMEOUT_MS } from '../transport/dispatcher.ts';
import { HostError } from './host-error.ts';

export function defaultSettings(historyDir: string): HostSettings {
  return { timeoutMs: DEFAULT_TIMEOUT_MS, maxAttempts: DEFAULT_MAX_ATTEMPTS, caBundle: '', historyDir, retentionDays: 0, retentionKeep: 0 };
}

/** settings.json in the app's configuration folder. */
export function defaultSettingsFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'settings.json');
}

/** Where versions before 0.2 kept settings: beside the default history folder (read once when the new file is missing). */
export function legacySettingsFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(dirname(defaultHistoryDir({ ...env, HEARTBEAT_HISTORY_DIR: '' })), 'settings.json');
}

/** The whole-number settings: their range, and the sentence for a value outside it. */
const WHOLE: Partial<Record<keyof HostSettings, [min: number, max: number, sentence: string]>> = {
  timeoutMs: [100, 600_000, 'The timeout must be a whole number of milliseconds from 100 to 600000.'],
  maxAttempts: [1, 10, 'Max attempts must be a whole number from 1 to 10.'],
  retentionDays: [0, 36_500, 'Keep history for a whole number of days from 1 to 36500, or 0 for no limit.'],
  retentionKeep: [0, 100_000_000, 'Keep a whole number of newest entries up to 100000000, or 0 for no limit.'],
};

/** Applies a patch, checking every field; throws a HostError sentence for the first bad one. */
export function applySettings(base: HostSettings, patch: unknown): HostSettings {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch))
    throw new HostError('Settings must be an object of fields to change.');
  const next: Record<string, unknown> = { ...base };
  for (const [name, value] of Object.entries(patch)) {
    const range = WHOLE[name as keyof HostSettings];
    switch (name) {
      case 'timeoutMs':
      case 'maxAttempts':
      case 'retentionDays':
      case 'retentionKeep':
        if (!Number.isInteger(value) || (value as number) < range![0] || (value as number) > range![1]) throw new HostError(range![2]);
        next[name] = value;
        break;
      case 'caBundle':
        if (typeof value !== 'string' || (value !== '' && !isAbsolute(value)))
          throw new HostError('The CA bundle must be an absolute path to a PEM file, or empty for none.');
        next.caBundle = value;
        break;
      case 'historyDir':
        if (typeof value !== 'string' || !isAbsolute(value)) throw new HostError('The history location must be an absolute folder path.');
        next.historyDir = value;
        break;
      default:
        throw new HostError(
          `"${name}" is not a setting; use timeoutMs, maxAttempts, caBundle, historyDir, retentionDays or retentionKeep.`,
        );
    }
  }
  return next as unknown as HostSettings;
}

export async function loadSettings(file: string, defaults: HostSettings, legacyFile?: string): Promise<HostSettings> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    if (!legacyFile) return defaults;
    try {
      text = await readFile(legacyFile, 'utf8');
    } catch {
      return defaults;
    }
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
