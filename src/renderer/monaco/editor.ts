/**
 * One Monaco editor over one model (vuejs/repl's Monaco.vue pattern): created once, compared before
 * it is written, disposed with the component. Changes from the form arrive as whole texts and are
 * applied as the smallest single edit through pushEditOperations, so they join Monaco's undo stack:
 * one undo history covers typing in the JSON and edits made in the form.
 */
import './environment.ts';
import './features.ts';
import * as monaco from 'monaco-editor/editor/editor.api';
import type { Operation } from '../../common/model/index.ts';
import { configureJson } from './language.ts';
import type { ProblemRange } from './ranges.ts';
import { minimalReplace } from './text-diff.ts';
import { bindVariableCompletion } from './variables-completion.ts';
import type { HintSource } from './language.ts';
import type { TextEdit } from '../../common/json/edit.ts';

export interface JsonEditorOptions {
  text: string;
  dark: boolean;
  operation: Operation;
  /** Called with the full text after the user edits in the editor (not after setText). */
  onUserChange: (text: string) => void;
  /** Ctrl/Cmd+Enter inside the editor. */
  onSend: () => void;
  ariaLabel: string;
  /** ISO hints for the text now shown; the caller has it parsed already. */
  timestampHints: HintSource;
  /** The model's name in its URI (inmemory://heartbeat/NAME.json), one per editor; default `composer`. */
  name?: string;
  /** The variables `{{` completes (the chosen environment's; the built-ins come anyway), read when the list opens. */
  variables?: () => Readonly<Record<string, string>>;
}

export interface JsonEditorHandle {
  /** Shows `text`; `group` merges consecutive form edits of one field into one undo step; `edit`,
   * when it is what turned the shown text into `text`, saves looking for the difference. */
  setText(text: string, group?: string, edit?: TextEdit): void;
  setProblems(problems: ProblemRange[]): void;
  /** Binds another operation's request schema (completion, hover); the markers come with setProblems. */
  setOperation(operation: Operation, ariaLabel?: string): void;
  setDark(dark: boolean): void;
  undo(): void;
  redo(): void;
  format(): void;
  revealOffset(offset: number): void;
  dispose(): void;
}

const OWNER = 'heartbeat';

export function createJsonEditor(element: HTMLElement, options: JsonEditorOptions): JsonEditorHandle {
  // A stable URI per editor: a remounted editor is the same document to Monaco's JSON service and to the hint provider.
  const uri = monaco.Uri.parse(`inmemory://heartbeat/${options.name ?? 'composer'}.json`);
  monaco.editor.getModel(uri)?.dispose();
  let operation = options.operation;
  let unbind = configureJson(uri.toString(), operation, options.timestampHints);
  const model = monaco.editor.createModel(options.text, 'json', uri);
  const unbindVariables = options.variables ? bindVariableCompletion(uri.toString(), options.variables) : () => undefined;
  model.updateOptions({ tabSize: 2, insertSpaces: true });
  const editor = monaco.editor.create(element, {
    model,
    theme: options.dark ? 'heartbeat-dark' : 'heartbeat-light',
    automaticLayout: true,
    minimap: { enabled: false },
    fontSize: 13,
    scrollBeyondLastLine: false,
    inlayHints: { enabled: 'on' },
    ariaLabel: options.ariaLabel,
    fixedOverflowWidgets: true,
    tabSize: 2,
  });
  let applying = false;
  // The model's text as last seen, so a change from the store is compared without copying the model.
  let shown = options.text;
  let lastGroup: string | undefined;
  let lastGroupAt = 0;

  const changes = model.onDidChangeContent(() => {
    if (!applying) {
      lastGroup = undefined;
      shown = model.getValue();
      options.onUserChange(shown);
    }
  });
  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => options.onSend());

  return {
    setText(text, group, edit) {
      if (shown === text) return;
      const known = edit && shown.slice(0, edit.offset) + edit.text + shown.slice(edit.offset + edit.length) === text;
      const {
        start,
        endBefore,
        text: insert,
      } = known ? { start: edit.offset, endBefore: edit.offset + edit.length, text: edit.text } : minimalReplace(shown, text);
      const from = model.getPositionAt(start);
      const to = model.getPositionAt(endBefore);
      const now = Date.now();
      const sameGroup = group !== undefined && group === lastGroup && now - lastGroupAt < 1500;
      if (!sameGroup) model.pushStackElement();
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
      lastGroup = group;
      lastGroupAt = now;
    },
    setProblems(problems) {
      monaco.editor.setModelMarkers(
        model,
        OWNER,
        problems.map((p) => ({ ...p, severity: monaco.MarkerSeverity.Error, source: p.code === 'syntax' ? 'JSON' : operation })),
      );
    },
    setOperation(next, ariaLabel) {
      if (ariaLabel) editor.updateOptions({ ariaLabel });
      if (next === operation) return;
      operation = next;
      unbind();
      unbind = configureJson(uri.toString(), operation, options.timestampHints);
    },
    setDark(dark) {
      monaco.editor.setTheme(dark ? 'heartbeat-dark' : 'heartbeat-light');
    },
    // On the model, not the editor: undoing from the form must not move the focus into the JSON.
    undo() {
      void model.undo();
    },
    redo() {
      void model.redo();
    },
    format() {
      void editor.getAction('editor.action.formatDocument')?.run();
    },
    revealOffset(offset) {
      const position = model.getPositionAt(offset);
      editor.revealPositionInCenter(position);
      editor.setPosition(position);
    },
    dispose() {
      changes.dispose();
      editor.dispose();
      model.dispose();
      unbind();
      unbindVariables();
    },
  };
}
