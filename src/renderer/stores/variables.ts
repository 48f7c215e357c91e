/**
 * Variables (docs/variables.md): the environments file as the host read it and the chosen environment.
 * State and thin setters; the I/O is in useVariables.
 */
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { EnvironmentsFile } from '../../common/variables/types.ts';
import type { VariableContext } from '../../common/variables/resolve.ts';
import { defaultEnvironment } from '../../common/variables/environments.ts';

export const useVariablesStore = defineStore('variables', () => {
  const file = shallowRef<EnvironmentsFile | undefined>(undefined);
  /** Why the file could not be read (offline, host error), in one sentence. */
  const loadError = shallowRef<string | undefined>(undefined);
  /** The remembered choice: a name, '' for none on purpose, undefined when never chosen. */
  const preference = shallowRef<string | undefined>(undefined);

  const names = computed(() => Object.keys(file.value?.environments ?? {}));
  /** The environment in use: the remembered one if the file has it; never chosen: the only one, or "default". */
  const chosen = computed<string | undefined>(() => {
    const envs = file.value?.environments ?? {};
    const pref = preference.value;
    if (pref === undefined) return defaultEnvironment(envs);
    return pref !== '' && Object.prototype.hasOwnProperty.call(envs, pref) ? pref : undefined;
  });
  /** What the composer checks and sends with. */
  const context = computed<VariableContext>(() => {
    const name = chosen.value;
    if (name === undefined) return { variables: {} };
    return { variables: { ...file.value!.environments[name] }, environmentName: name };
  });

  return {
    file,
    loadError,
    preference,
    names,
    chosen,
    context,
    setFile: (next: EnvironmentsFile | undefined) => (file.value = next),
    setLoadError: (message: string | undefined) => (loadError.value = message),
    setPreference: (name: string | undefined) => (preference.value = name),
  };
});
