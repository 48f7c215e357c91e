/** The environments file through HeartbeatApi.environments, and the remembered choice (docs/variables.md). */
import { useVariablesStore } from '../stores/variables.ts';
import { usePlatform } from './platform.ts';
import { errorSentence } from '../platform/errors.ts';
import { loadEnvironmentPreference, saveEnvironmentPreference } from '../platform/preferences.ts';
import type { EnvironmentsFile } from '../../common/variables/types.ts';

export function useVariables(): {
  load: () => Promise<void>;
  save: (text: string) => Promise<EnvironmentsFile>;
  choose: (name: string) => void;
} {
  const platform = usePlatform();
  const store = useVariablesStore();
  return {
    async load() {
      if (store.preference === undefined) store.setPreference(loadEnvironmentPreference());
      try {
        store.setFile(await platform.api.environments.get());
        store.setLoadError(undefined);
      } catch (error) {
        store.setLoadError(errorSentence(error));
      }
    },
    /** Saves the file's text; rejects with the host's sentence (the first problem's line and column) when it is refused. */
    async save(text) {
      const file = await platform.api.environments.save(text);
      store.setFile(file);
      store.setLoadError(undefined);
      return file;
    },
    /** '' chooses no environment. */
    choose(name) {
      store.setPreference(name);
      saveEnvironmentPreference(name);
    },
  };
}
