/**
 * A read-only Monaco JSON view (a simulated device's latest heartbeat in the inspector), the JSON
 * editor's pieces reused (src/renderer/monaco/): the request schema of `operation` bound for hover, ISO
 * times as inlay hints beside timestamps, the app's themes. A new text replaces the shown one as the
 * smallest single edit, so the view keeps its scroll position and folds while heartbeats come in.
 */
import '../../monaco/environment.ts';
import '../../monaco/features.ts';
import * as monaco from 'monaco-editor/editor/editor.api';
import type { Operation } from '../../../common/model/index.ts';
import { configureJson } from '../../monaco/language.ts';
import { minimalReplace } from '../../monaco/text-diff.ts';
import { defineThemes, themeName } from '../../monaco/themes.ts';
import { timestampHints } from '../../monaco/timestamp-hints.ts';

export interface ReadonlyJsonOptions {
  text: string;
  dark: boolean;
  ariaLabel: string;
  /** The request schema for hover and timestamp hints. */
  operation?: Operation;
}

export interface ReadonlyJsonHandle {
  setText(text: string): void;
  setDark(dark: boolean): void;
  dispose(): void;
}

let count = 0;

export function createReadonlyJson(element: HTMLElement, options: ReadonlyJsonOptions): ReadonlyJsonHandle {
  const uri = monaco.Uri.parse(`inmemory://heartbeat/readonly-${++count}.json`);
  let shown = options.text;
  const operation = options.operation;
  // Hints for the lines in view, from the text shown (a heartbeat is a few KB: parsed when Monaco asks).
  const unbind = operation ? configureJson(uri.toString(), operation, (from, to) => timestampHints(shown, operation, from, to)) : undefined;
  defineThemes();
  const model = monaco.editor.createModel(shown, 'json', uri);
  const editor = monaco.editor.create(element, {
    model,
    readOnly: true,
    domReadOnly: true,
    theme: themeName(options.dark),
    automaticLayout: true,
    minimap: { enabled: false },
    fontSize: 12,
    lineNumbers: 'off',
    glyphMargin: false,
    lineDecorationsWidth: 6,
    folding: true,
    wordWrap: 'on',
    scrollBeyondLastLine: false,
    renderLineHighlight: 'none',
    inlayHints: { enabled: 'on' },
    ariaLabel: options.ariaLabel,
    fixedOverflowWidgets: true,
  });
  return {
    setText(text) {
      if (text === shown) return;
      const { start, endBefore, text: insert } = minimalReplace(shown, text);
      const from = model.getPositionAt(start);
      const to = model.getPositionAt(endBefore);
      model.applyEdits([{ range: new monaco.Range(from.lineNumber, from.column, to.lineNumber, to.column), text: insert }]);
      shown = text;
    },
    setDark(dark) {
      monaco.editor.setTheme(themeName(dark));
    },
    dispose() {
      editor.dispose();
      model.dispose();
      unbind?.();
    },
  };
}
