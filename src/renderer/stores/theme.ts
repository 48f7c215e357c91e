/** Light, dark or follow the system. Persistence and the media query live in platform/preferences. */
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { ThemePreference } from '../platform/preferences.ts';

export const useThemeStore = defineStore('theme', () => {
  const preference = shallowRef<ThemePreference>('system');
  const systemDark = shallowRef(false);
  const dark = computed(() => (preference.value === 'system' ? systemDark.value : preference.value === 'dark'));
  return {
    preference,
    systemDark,
    dark,
    setPreference: (next: ThemePreference) => (preference.value = next),
    setSystemDark: (value: boolean) => (systemDark.value = value),
  };
});
