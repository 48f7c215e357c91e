/**
 * Send the composed document through the platform: validate first, resolve its variables
 * (docs/variables.md) with the chosen environment, then call the host with the resolved text. The
 * composer's document keeps its placeholders; the inspector shows the request as sent and what was
 * substituted.
 */
import { useDocumentStore } from '../stores/document.ts';
import { useHistoryStore } from '../stores/history.ts';
import { useSessionStore } from '../stores/session.ts';
import { exchangeOfResult, useInspectorStore, type Exchange } from '../stores/inspector.ts';
import { usePlatform } from './platform.ts';
import { errorSentence } from '../platform/errors.ts';
import type { CredentialRef, HeartbeatApi, TargetSpec } from '../../common/api.ts';
import { useVariablesStore } from '../stores/variables.ts';
import {
  describeSubstitutions,
  resolveText,
  unresolvedSentence,
  type SubstitutionLine,
  type VariableSources,
} from '../../common/variables/resolve.ts';

/** Where a target sends, in words, for the demo-keys question. */
function targetWords(target: TargetSpec): string {
  return target.kind === 'region' ? `the AWS region ${target.region}` : target.kind === 'url' ? target.url : 'the embedded endpoint';
}

/**
 * The demo keys only work with the embedded endpoint (and are public): before they go anywhere else,
 * ask. True to send. A URL that is the embedded endpoint's own address needs no question.
 */
export async function confirmDemoKeys(api: HeartbeatApi, credentials: CredentialRef, target: TargetSpec | undefined): Promise<boolean> {
  if (credentials.kind !== 'demo' || !target || target.kind === 'local') return true;
  if (target.kind === 'url') {
    const local = await api.endpoint.info().then(
      (info) => info.url,
      () => undefined,
    );
    const origin = (url: string): string => {
      try {
        return new URL(url).origin;
      } catch {
        return url;
      }
    };
    if (local !== undefined && origin(local) === origin(target.url)) return true;
  }
  return window.confirm(
    `Send with the demo keys to ${targetWords(target)}? They only work with the embedded endpoint, and they are public: any other server rejects them (or logs them). ` +
      'Cancel, then pick real credentials in the top bar; or OK to send anyway.',
  );
}

/** An id for a send, chosen here so the renderer can cancel it before it settles. */
export function newSendId(): string {
  return globalThis.crypto?.randomUUID
    ? globalThis.crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

export function useSend(sources: VariableSources = {}): {
  send: (options?: { anyway?: boolean }) => Promise<void>;
  cancel: () => Promise<void>;
} {
  const platform = usePlatform();
  const variables = useVariablesStore();
  const documentStore = useDocumentStore();
  const history = useHistoryStore();
  const session = useSessionStore();
  const inspector = useInspectorStore();

  async function send(options: { anyway?: boolean } = {}): Promise<void> {
    if (session.send.status === 'sending') return;
    const syntax = documentStore.syntaxError;
    if (syntax) {
      session.setSendState({
        status: 'invalid',
        message: `The JSON has a syntax error at line ${syntax.line}, column ${syntax.column}: fix it before sending.`,
      });
      return;
    }
    // An unresolved placeholder leaves nothing to send, "Send anyway" or not.
    const unresolved = documentStore.problems.filter((p) => p.keyword === 'variable');
    if (unresolved.length) {
      session.setSendState({
        status: 'invalid',
        message: `Not sent: ${unresolvedSentence(unresolved)}`,
      });
      return;
    }
    if (!documentStore.valid && !options.anyway) {
      const n = documentStore.problems.length;
      session.setSendState({
        status: 'invalid',
        message: `The request has ${n} problem${n === 1 ? '' : 's'}: fix ${n === 1 ? 'it' : 'them'}, or choose "Send anyway" to see how the server rejects it.`,
      });
      return;
    }
    if (!(await confirmDemoKeys(platform.api, session.credentials, session.target))) {
      session.setSendState({ status: 'idle' });
      return;
    }
    const id = newSendId();
    const operation = documentStore.operation;
    // Resolved just before the send: `{{now}}` is the send's time, and the text sent is the text shown with only its placeholders replaced.
    const resolved = resolveText(documentStore.text, { ...variables.context, ...sources, operation });
    if (resolved.problems.length) {
      session.setSendState({ status: 'invalid', message: `Not sent: ${unresolvedSentence(resolved.problems)}` });
      return;
    }
    session.setSendState({ status: 'sending', id, startedAt: Date.now() });
    try {
      const result = await platform.api.send({
        id,
        operation,
        body: resolved.text,
        target: session.target,
        credentials: session.credentials,
        options: { skipValidation: Boolean(options.anyway) },
      });
      // The inspector lists what the variables became beside the request as sent (SubstitutionList).
      const substitutions = describeSubstitutions(resolved.substitutions);
      const shown: Exchange & { substitutions?: SubstitutionLine[] } = exchangeOfResult(result, 'send', operation);
      if (substitutions.length) shown.substitutions = substitutions;
      inspector.show(shown);
      session.setSendState({ status: 'done', result });
      history.changed();
    } catch (error) {
      // The previous answer stays in the history; on screen it would pass for this send's.
      inspector.show(undefined);
      session.setSendState({ status: 'failed', message: errorSentence(error) });
    }
  }

  async function cancel(): Promise<void> {
    const state = session.send;
    if (state.status !== 'sending') return;
    await platform.api.cancel(state.id).catch(() => false);
  }

  return { send, cancel };
}
