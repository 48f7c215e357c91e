/**
 * Host settings as the app changes them: each patch checked, the transport rebuilt when its timeout or
 * CA bundle changes (refused with a sentence when the new one cannot be made), saved atomically.
 */
import type { HeartbeatApi, HostSettings } from '../../common/api.ts';
import { createTransport, type Transport } from '../transport/dispatcher.ts';
import { HostError, sentenceOf } from './host-error.ts';
import { applySettings, saveSettings } from './settings.ts';

export const transportOf = (s: HostSettings): Promise<Transport> =>
  createTransport({ connectTimeoutMs: s.timeoutMs, readTimeoutMs: s.timeoutMs, ...(s.caBundle ? { caBundle: s.caBundle } : {}) });

export interface SettingsService {
  api: HeartbeatApi['settings'];
  current(): HostSettings;
}

export function createSettingsService(
  file: string,
  initial: HostSettings,
  hooks: { transportChanged(t: Transport): void; retentionChanged(): void },
): SettingsService {
  let settings = initial;
  return {
    current: () => settings,
    api: {
      async get() {
        return settings;
      },
      async update(patch) {
        const next = applySettings(settings, patch);
        if (next.timeoutMs !== settings.timeoutMs || next.caBundle !== settings.caBundle) {
          try {
            hooks.transportChanged(await transportOf(next));
          } catch (error) {
            throw new HostError(sentenceOf(error), 'TRANSPORT_CONFIG');
          }
        }
        await saveSettings(file, next);
        const retentionChanged = next.retentionDays !== settings.retentionDays || next.retentionKeep !== settings.retentionKeep;
        settings = next;
        if (retentionChanged) hooks.retentionChanged();
        return settings;
      },
    },
  };
}
