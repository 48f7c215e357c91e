/**
 * The composer's document: the operation it is for, the JSON text (what is sent, byte for byte) and
 * the last document that parsed, with its problems. The JSON view sets the text; the form applies
 * minimal edits to it. A syntax error never loses the form's state: `doc` stays the last good document
 * until the text parses.
 *
 * The operation belongs to the document: the text is checked against that operation's input, and
 * switching it converts the text (members the other operation does not have are dropped, as one
 * edit). A switch that changed the text is remembered with both texts, so undoing that edit in the
 * JSON view (or redoing it) brings the operation back with the text.
 */
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import { checkText, type TextCheck, type TextProblem } from '../../common/validation/check-text.ts';
import { applyChange, type JsonChange, type MemberOrder, type TextEdit } from '../../common/json/edit.ts';
import { parseJson, type JsonParseError } from '../../common/json/parse.ts';
import { OPERATIONS, requestSchema, type Operation } from '../../common/model/index.ts';
import { appendPointer } from '../../common/json/pointer.ts';
import { initialDocumentText } from './initial-document.ts';
import type { VariableContext } from '../../common/variables/resolve.ts';

/** An operation change: undoing to `before` means `from` again, redoing to `after` means `to`. */
interface Switch {
  from: Operation;
  to: Operation;
  before: string;
  after: string;
}
/** How many switches are remembered for undo (the editor's undo stack is deeper; older switches are rare). */
const SWITCHES_KEPT = 50;

const members = (operation: Operation): readonly string[] => Object.keys(requestSchema(operation).properties ?? {});
const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** "A", "A and B", "A, B and C". */
export function wordList(items: readonly string[]): string {
  return items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * The operation a loaded document is for, when it says so: it has members `current` does not have and
 * another operation has them all (a heartbeat opened while the composer was on GetDeployments).
 * Undefined when it fits `current`, or no operation has all its members.
 */
export function inferOperation(doc: unknown, current: Operation): Operation | undefined {
  if (!isRecord(doc)) return undefined;
  const keys = Object.keys(doc);
  if (keys.every((k) => members(current).includes(k))) return undefined;
  return OPERATIONS.find((op) => op !== current && keys.every((k) => members(op).includes(k)));
}

/** The members of `doc` that `from` has and `to` does not: what a switch from `from` to `to` drops. */
export function membersToDrop(doc: unknown, from: Operation, to: Operation): string[] {
  if (!isRecord(doc)) return [];
  const target = members(to);
  return [...new Set(Object.keys(doc))].filter((k) => members(from).includes(k) && !target.includes(k));
}

export const useDocumentStore = defineStore('document', () => {
  const operation = shallowRef<Operation>('SendHeartbeat');
  const text = shallowRef('');
  /** The latest operation change, in one sentence (what was kept, dropped or inferred); `seq` counts changes so the same sentence twice is seen. */
  const operationNotice = shallowRef<{ text: string; seq: number }>({ text: '', seq: 0 });
  /** The text of `lastGood`, to check it again when the operation changes. */
  let lastGoodText = '';
  const switches: Switch[] = [];
  let switchCount = 0;
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
  /** The chosen environment's variables (docs/variables.md): the text is checked with its placeholders resolved. */
  let variables: VariableContext = { variables: {} };
  const check = (next: string): TextCheck => checkText(next, operation.value, variables);

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

  function say(sentence: string): void {
    operationNotice.value = { text: sentence, seq: operationNotice.value.seq + 1 };
  }

  /** Sets the text and checks it against the operation; `force` checks it again even when unchanged (a new operation). */
  function place(next: string, source: string, edit: TextEdit | undefined, force = false): void {
    editSource.value = source;
    lastEdit.value = edit;
    if (next === text.value && !force) return;
    const checked = check(next);
    text.value = next;
    current.value = checked;
    if (checked.doc !== undefined) {
      lastGood.value = checked;
      lastGoodText = next;
    } else if (force) lastGood.value = check(lastGoodText);
  }

  /** Every switch is kept, those that left the text as it was too: the latest switch that shows a text says which operation it had. */
  function remember(from: Operation, to: Operation, before: string, after: string): void {
    switches.push({ from, to, before, after });
    if (switches.length > SWITCHES_KEPT) switches.shift();
  }

  /**
   * An undo or redo in the editor that lands on a text a switch had brings back the operation it had
   * then: the latest switch showing that text decides (its `after` is newer than its `before`).
   */
  function followUndo(next: string): void {
    for (let i = switches.length - 1; i >= 0; i--) {
      const s = switches[i]!;
      const back = next === s.after ? s.to : next === s.before ? s.from : undefined;
      if (back === undefined) continue;
      if (back !== operation.value) {
        operation.value = back;
        say(`The operation is ${back} again, with its text.`);
      }
      return;
    }
  }

  /**
   * The JSON view's text (source "json"), a form edit (a pointer) or a load. A load that names no
   * operation ("load": a draft, a heartbeat from the fleet view) switches to the operation the
   * document is plainly for (see inferOperation).
   */
  function setText(next: string, source = 'json', edit?: TextEdit): void {
    if (source === 'json' && next !== text.value) followUndo(next);
    if (source === 'load' && next !== text.value) {
      const parsed = check(next).doc;
      const inferred = inferOperation(parsed, operation.value);
      if (inferred)
        return load(
          next,
          inferred,
          source,
          `It is a ${inferred} request (it has ${wordList(membersToDrop(parsed, inferred, operation.value))}): the operation is now ${inferred}.`,
        );
    }
    place(next, source, edit);
  }

  /** Replaces the text with `next`, a request for `op` (one undoable edit): a history entry, an example, an import. */
  function load(next: string, op: Operation, source = 'load', sentence?: string): void {
    const from = operation.value;
    const before = text.value;
    operation.value = op;
    place(next, source, undefined, from !== op);
    if (from === op) return;
    remember(from, op, before, next);
    say(sentence ?? `The operation is now ${op}, the request's.`);
  }

  /**
   * Switches the document to `op`. With `convert` (the picker), members the new operation does not
   * have are dropped from the text as one undoable edit (DeviceName and DeviceFleetName, which all
   * three have, stay), and a sentence says what happened; without it (a restored draft) only the
   * check changes.
   */
  function setOperation(op: Operation, options: { convert?: boolean } = {}): void {
    const from = operation.value;
    if (op === from) return;
    const convert = options.convert ?? true;
    const before = text.value;
    operation.value = op;
    if (!convert) {
      place(before, editSource.value, undefined, true);
      remember(from, op, before, before);
      return;
    }
    if (syntaxError.value) {
      place(before, editSource.value, undefined, true);
      remember(from, op, before, before);
      say(`Now ${op}. The JSON has a syntax error, so nothing was converted: fix it, then remove the members ${op} does not have.`);
      return;
    }
    const drop = membersToDrop(current.value.doc, from, op);
    let after = before;
    for (const name of drop) {
      // A duplicate key is removed once per copy; the guard stops at a member the edit cannot find.
      for (let guard = 0; guard < 100; guard++) {
        const parsed = parseJson(after);
        if (!isRecord(parsed.value) || !Object.prototype.hasOwnProperty.call(parsed.value, name)) break;
        after = applyChange(after, { op: 'remove', pointer: appendPointer('', name) }, parsed).text;
      }
    }
    switchCount++;
    place(after, `operation-${switchCount}`, undefined, true);
    remember(from, op, before, after);
    const missing = members(op).filter(
      (m) => requestSchema(op).required?.includes(m) && !(isRecord(current.value.doc) && m in current.value.doc),
    );
    const kept = ['DeviceName', 'DeviceFleetName'].filter((m) => isRecord(current.value.doc) && m in current.value.doc);
    const parts = [
      kept.length ? `kept ${wordList(kept)}` : '',
      drop.length ? `dropped ${wordList(drop)}, which ${op} does not have (Ctrl+Z brings ${drop.length === 1 ? 'it' : 'them'} back)` : '',
      missing.length ? `${op} also needs ${wordList(missing)}: the form marks ${missing.length === 1 ? 'it' : 'them'}` : '',
    ].filter(Boolean);
    say(`Now ${op}${parts.length ? `: ${parts.join('; ')}` : ''}.`);
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

  /** Another environment (or its variables changed): the text is checked again with them. */
  function setVariables(next: VariableContext): void {
    variables = next;
    place(text.value, editSource.value, lastEdit.value, true);
  }

  /** Number of problems at or below `pointer`. */
  function problemCountUnder(pointer: string): number {
    let n = 0;
    for (const p of lastGood.value.problems) if (p.keyword !== 'syntax' && (p.path === pointer || p.path.startsWith(`${pointer}/`))) n++;
    return n;
  }

  place(initialDocumentText(), 'load', undefined);
  return {
    operation,
    operationNotice,
    setOperation,
    load,
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
    setVariables,
    problemCountUnder,
  };
});
