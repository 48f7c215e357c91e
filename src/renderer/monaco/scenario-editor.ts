/**
 * One Monaco editor over one fleet scenario (YAML), the JSON editor's pattern (editor.ts): created once,
 * fed whole texts from outside as the smallest single edit (so they join the undo stack), disposed with
 * its component. Completion and hover come from the scenario schema through monaco-yaml (yaml.ts); the
 * markers are parseScenario's problems, set by the caller.
 */
import './environment.ts';
import './features.ts';
import * as monaco from 'monaco-editor/editor/editor.api';
import type { ScenarioProblem } from '../../common/fleet/scenario.ts';
import { scenarioMarkers } from './scenario-markers.ts';
import { minimalReplace } from './text-diff.ts';
import { defineThemes, themeName } from './themes.ts';
import { configureScenarioYaml, SCENARIO_MODEL_SUFFIX } from './yaml.ts';

export interface ScenarioEditorOptions {
  text: string;
  dark: boolean;
  readonly: boolean;
  ariaLabel: string;
  /** Called with the full text after the user edits in the editor (not after setText). */
  onUserChange: (text: string) => void;
}

export interface ScenarioEditorHandle {
  /** Shows `text` (a change from outside: the file opened, an example picked). */
  setText(text: string): void;
  setProblems(problems: readonly ScenarioProblem[]): void;
  setDark(dark: boolean): void;
  setReadonly(readonly: boolean): void;
  dispose(): void;
}

export const SCENARIO_MARKER_OWNER = 'fleet-scenario';

let count = 0;

export function createScenarioEditor(element: HTMLElement, options: ScenarioEditorOptions): ScenarioEditorHandle {
  configureScenarioYaml();
  defineThemes();
  // Its own model per editor; the suffix binds the scenario schema to it (yaml.ts).
  const uri = monaco.Uri.parse(`inmemory://heartbeat/scenario-${++count}${SCENARIO_MODEL_SUFFIX}`);
  const model = monaco.editor.createModel(options.text, 'yaml', uri);
  model.updateOptions({ tabSize: 2, insertSpaces: true });
  const editor = monaco.editor.create(element, {
    model,
    theme: themeName(options.dark),
    automaticLayout: true,
    minimap: { enabled: false },
    fontSize: 13,
    scrollBeyondLastLine: false,
    ariaLabel: options.ariaLabel,
    fixedOverflowWidgets: true,
    tabSize: 2,
    readOnly: options.readonly,
    // A YAML value is a string token: suggest there too (startup: t… → together).
    quickSuggestions: { other: true, strings: true, comments: false },
  });
  let applying = false;
  let shown = options.text;

  const changes = model.onDidChangeContent(() => {
    if (applying) return;
    shown = model.getValue();
    options.onUserChange(shown);
  });

  return {
    setText(text) {
      if (shown === text) return;
      const { start, endBefore, text: insert } = minimalReplace(shown, text);
      const from = model.getPositionAt(start);
      const to = model.getPositionAt(endBefore);
      model.pushStackElement();
      applying = true;
      try {
        model.pushEditOperations(
          editor.getSelections(),
          [{ range: new monaco.Range(from.lineNumber, from.column, to.lineNumber, to.column), text: insert }],
          () => null,
        );
      } finally {
        applying = false;
      }
      shown = text;
    },
    setProblems(problems) {
      const lines = model.getLineCount();
      const markers = scenarioMarkers(problems, (n) => (n >= 1 && n <= lines ? model.getLineContent(n) : undefined));
      monaco.editor.setModelMarkers(
        model,
        SCENARIO_MARKER_OWNER,
        markers.map(({ path, ...m }) => ({ ...m, code: path || undefined, severity: monaco.MarkerSeverity.Error, source: 'scenario' })),
      );
    },
    setDark(dark) {
      monaco.editor.setTheme(themeName(dark));
    },
    setReadonly(readonly) {
      editor.updateOptions({ readOnly: readonly });
    },
    dispose() {
      changes.dispose();
      editor.dispose();
      model.dispose();
    },
  };
}
