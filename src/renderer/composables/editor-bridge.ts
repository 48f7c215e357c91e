/**
 * What the form needs from the JSON editor without knowing it is Monaco: undo and redo on the one
 * shared history, format, and "show me this place". The editor component fills it in when it loads.
 */
import { inject, provide, shallowReactive, type InjectionKey } from 'vue';

export interface EditorBridge {
  ready: boolean;
  undo: () => void;
  redo: () => void;
  format: () => void;
  revealOffset: (offset: number) => void;
}

const KEY: InjectionKey<EditorBridge> = Symbol('editor-bridge');

export function provideEditorBridge(): EditorBridge {
  const bridge = shallowReactive<EditorBridge>({
    ready: false,
    undo: () => undefined,
    redo: () => undefined,
    format: () => undefined,
    revealOffset: () => undefined,
  });
  provide(KEY, bridge);
  return bridge;
}

export function useEditorBridge(): EditorBridge {
  return inject(
    KEY,
    () =>
      shallowReactive<EditorBridge>({
        ready: false,
        undo: () => undefined,
        redo: () => undefined,
        format: () => undefined,
        revealOffset: () => undefined,
      }),
    true,
  );
}
