/** Preferences kept in this browser profile (localStorage); the host's settings file comes later. */
export type ThemePreference = 'system' | 'light' | 'dark';

const THEME_KEY = 'heartbeat.theme';

export function loadThemePreference(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): ThemePreference {
  try {
    const value = storage?.getItem(THEME_KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

export function saveThemePreference(theme: ThemePreference, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(THEME_KEY, theme);
  } catch {
    // Private mode or a full quota: the choice lasts for this session only.
  }
}

/** Whether the system asks for a dark theme now, and a way to follow changes. */
export function watchSystemDark(onChange: (dark: boolean) => void): { dark: boolean; stop: () => void } {
  const query = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : undefined;
  if (!query) return { dark: false, stop: () => undefined };
  const handler = (e: MediaQueryListEvent): void => onChange(e.matches);
  query.addEventListener('change', handler);
  return { dark: query.matches, stop: () => query.removeEventListener('change', handler) };
}
