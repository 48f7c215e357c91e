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

/**
 * The composer's draft: per window in sessionStorage (a reload of this window gets it back), and the
 * last draft of any window in localStorage (a new window starts from it).
 */
const DRAFT_KEY = 'heartbeat.draft';

type DraftStores = { session?: Pick<Storage, 'getItem' | 'setItem'>; local?: Pick<Storage, 'getItem' | 'setItem'> };
const defaultDraftStores = (): DraftStores => {
  try {
    return { session: globalThis.sessionStorage, local: globalThis.localStorage };
  } catch {
    return {};
  }
};

export function loadDraft(stores: DraftStores = defaultDraftStores()): string | undefined {
  for (const storage of [stores.session, stores.local]) {
    try {
      const value = storage?.getItem(DRAFT_KEY);
      if (typeof value === 'string' && value.trim() !== '') return value;
    } catch {
      // Storage refused (private mode, policy): try the next one.
    }
  }
  return undefined;
}

export function saveDraft(text: string, stores: DraftStores = defaultDraftStores()): void {
  for (const storage of [stores.session, stores.local]) {
    try {
      storage?.setItem(DRAFT_KEY, text);
    } catch {
      // A full quota (a huge document): the draft is not kept; the composer works on.
    }
  }
}

/** The operation the draft is for, beside it in the same two storages (the draft itself is only the wire text). */
const DRAFT_OPERATION_KEY = 'heartbeat.draft.operation';

export function loadDraftOperation(stores: DraftStores = defaultDraftStores()): string | undefined {
  for (const storage of [stores.session, stores.local]) {
    try {
      const value = storage?.getItem(DRAFT_OPERATION_KEY);
      if (typeof value === 'string' && value !== '') return value;
    } catch {
      // Refused: try the next one.
    }
  }
  return undefined;
}

export function saveDraftOperation(operation: string, stores: DraftStores = defaultDraftStores()): void {
  for (const storage of [stores.session, stores.local]) {
    try {
      storage?.setItem(DRAFT_OPERATION_KEY, operation);
    } catch {
      // Not kept: a reload starts from SendHeartbeat.
    }
  }
}

/** Saves `read()` at most every `delayMs`, and at once when the page is hidden or unloaded. Returns a stop function. */
export function keepDraft(
  read: () => string,
  delayMs = 400,
  stores?: DraftStores,
): { changed: () => void; flush: () => void; stop: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    saveDraft(read(), stores);
  };
  const changed = (): void => {
    if (timer === undefined) timer = setTimeout(flush, delayMs);
  };
  const onHide = (): void => {
    if (timer !== undefined) flush();
  };
  if (typeof window !== 'undefined') {
    window.addEventListener('pagehide', onHide);
    window.addEventListener('beforeunload', onHide);
  }
  return {
    changed,
    flush,
    stop: () => {
      onHide();
      if (typeof window !== 'undefined') {
        window.removeEventListener('pagehide', onHide);
        window.removeEventListener('beforeunload', onHide);
      }
    },
  };
}

/** The workspace's pane widths (CSS px) and which side panes are collapsed; undefined widths follow the window. */
export interface LayoutPreference {
  history?: number;
  inspector?: number;
  historyCollapsed: boolean;
  inspectorCollapsed: boolean;
}

const LAYOUT_KEY = 'heartbeat.layout';

export function loadLayoutPreference(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): LayoutPreference {
  const fallback: LayoutPreference = { historyCollapsed: false, inspectorCollapsed: false };
  try {
    const raw: unknown = JSON.parse(storage?.getItem(LAYOUT_KEY) ?? 'null');
    if (!raw || typeof raw !== 'object') return fallback;
    const r = raw as Record<string, unknown>;
    const width = (v: unknown): number | undefined =>
      typeof v === 'number' && Number.isFinite(v) && v > 0 && v < 10_000 ? Math.round(v) : undefined;
    return {
      ...(width(r.history) !== undefined ? { history: width(r.history) } : {}),
      ...(width(r.inspector) !== undefined ? { inspector: width(r.inspector) } : {}),
      historyCollapsed: r.historyCollapsed === true,
      inspectorCollapsed: r.inspectorCollapsed === true,
    };
  } catch {
    return fallback;
  }
}

export function saveLayoutPreference(
  layout: LayoutPreference,
  storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage,
): void {
  try {
    storage?.setItem(LAYOUT_KEY, JSON.stringify(layout));
  } catch {
    // Not kept: the layout lasts for this window only.
  }
}

/**
 * The chosen environment of variables (docs/variables.md): its name, '' for "No environment" chosen on
 * purpose, undefined when none was ever chosen (then the only environment, or the one named default).
 */
const ENVIRONMENT_KEY = 'heartbeat.environment';

export function loadEnvironmentPreference(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): string | undefined {
  try {
    const value = storage?.getItem(ENVIRONMENT_KEY);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

export function saveEnvironmentPreference(name: string, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(ENVIRONMENT_KEY, name);
  } catch {
    // Not kept: the next window starts from the default environment.
  }
}
