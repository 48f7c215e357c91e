/** The host's settings as the settings dialog uses them: loaded, and saved as a patch of what changed. */
import type { HostSettings } from '../../common/api.ts';
import { usePlatform } from './platform.ts';

export function useHostSettings() {
  const { api } = usePlatform();
  return {
    load: (): Promise<HostSettings> => api.settings.get(),
    save: (patch: Partial<HostSettings>): Promise<HostSettings> => api.settings.update(patch),
  };
}
