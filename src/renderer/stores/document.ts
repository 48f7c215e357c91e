/**
 * The composer's document: the JSON text (what is sent, byte for byte) and the last document that
 * parsed, with its problems. The JSON view sets the text; the form applies minimal edits to it. A
 * syntax error never loses the form's state: `doc` stays the last good document until the text parses.
 */
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import { checkText, type TextCheck, type TextProblem } from '../../common/validation/check-text.ts';
import { applyChange, type JsonChange, type MemberOrder, type TextEdit } from '../../common/json/edit.ts';
import type { JsonParseError } from '../../common/json/parse.ts';
import type { Operation } from '../../common/model/index.ts';
import { initialDocumentText } from './initial-document.ts';

export const useDocumentStore = defineStore('document', () => {
  const operation = shallowRef<Operation>('SendHeartbeat');
  const text = shallowRef('');
  /** The check of the current text. */
  const current = shallowRef<TextCheck>(checkText('{}'));
  /** The check of the last text that parsed: what the form shows. */
  const lastGood = shallowRef<TextCheck>(current.value);
  /** The form field (pointer) behind the latest edit, or "json" for the JSON view: groups undo steps. */
  const editSource = shallowRef('load');
  /** The text edit behind the latest form change (undefined after a JSON view edit): lets the editor apply it as is. */
  const lastEdit = shallowRef<TextEdit | undefined>(undefined);
  /** Where new members go among their siblings; set by the form from the schema. */
  let memberOrder: MemberOrder | undefined;

  const doc = computed<unknown>(() => lastGood.value.doc);
  const syntaxError = computed<JsonParseError | undefined>(() => current.value.parsed.errors.find((e) => e.kind === 'syntax'));
  const problems = computed<TextProblem[]>(() => current.value.problems);
  const valid = computed(() => current.value.valid);
  /** Problems of the form's document by pointer. */
  const problemsByPath = computed(() => {
    const map = new Map<string, TextProblem[]>();
    for (const p of lastGood.value.problems) {
      if (p.keyword === 'syntax') continue;
      const list = map.get(p.path);
      if (list) list.push(p);
      else map.set(p.path, [p]);
    }
    return map;
  });

  function setText(next: string, source = 'json', edit?: TextEdit): void {
    editSource.value = source;
    lastEdit.value = edit;
    if (next === text.value) return;
    const check = checkText(next, operation.value);
    text.value = next;
    current.value = check;
    if (check.doc !== undefined) lastGood.value = check;
  }

  /** Applies a form edit; false (and nothing changes) while the text has a syntax error. */
  function change(edit: JsonChange, source: string = 'pointer' in edit ? edit.pointer : 'form'): boolean {
    if (syntaxError.value) return false;
    const withOrder = (edit.op === 'set' || edit.op === 'insert') && !edit.order && memberOrder ? { ...edit, order: memberOrder } : edit;
    const result = applyChange(text.value, withOrder, current.value.parsed);
    setText(result.text, source, result.edit);
    return true;
  }

  function setMemberOrder(order: MemberOrder): void {
    memberOrder = order;
  }

  /** Number of problems at or below `pointer`. */
  function problemCountUnder(pointer: string): number {
    let n = 0;
    for (const p of lastGood.value.problems) if (p.keyword !== 'syntax' && (p.path === pointer || p.path.startsWith(`${pointer}/`))) n++;
    return n;
  }

  setText(initialDocumentText(), 'load');
  return {
    operation,
    text,
    current,
    doc,
    syntaxError,
    problems,
    valid,
    problemsByPath,
    editSource,
    lastEdit,
    setText,
    change,
    setMemberOrder,
    problemCountUnder,
  };
});
