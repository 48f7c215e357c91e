/**
 * Server-sent events over fetch. EventSource cannot send an Authorization header, and a token in the
 * URL ends up in logs, so the event stream is read with fetch and parsed here (WHATWG SSE, data lines only).
 */

/** Splits an SSE byte stream into the `data` of each event; resolves when the stream ends. */
export async function readSseData(body: ReadableStream<Uint8Array>, onData: (data: string) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  const flushLine = (line: string): void => {
    if (line === '') {
      if (data.length) onData(data.join('\n'));
      data = [];
      return;
    }
    if (line.startsWith(':')) return; // comment / keep-alive
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let newline: number;
    while ((newline = buffer.search(/\r\n|\r|\n/)) !== -1) {
      // A "\r" at the very end may be the first half of "\r\n": wait for the next chunk.
      if (newline === buffer.length - 1 && buffer.endsWith('\r')) break;
      const width = buffer.startsWith('\r\n', newline) ? 2 : 1;
      flushLine(buffer.slice(0, newline));
      buffer = buffer.slice(newline + width);
    }
  }
  if (buffer) flushLine(buffer);
  flushLine('');
}

/** Where the event stream to the host stands: the top bar shows it. */
export type StreamState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

export interface StreamStatus {
  readonly state: StreamState;
  set(state: StreamState): void;
  /** Calls `listener` with each new state; the returned function stops it. */
  listen(listener: (state: StreamState) => void): () => void;
}

export function streamStatus(initial: StreamState = 'connecting'): StreamStatus {
  let state = initial;
  const listeners = new Set<(state: StreamState) => void>();
  return {
    get state() {
      return state;
    },
    set(next) {
      if (next === state) return;
      state = next;
      for (const l of [...listeners]) l(next);
    },
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Failed connection attempts in a row after which the stream counts as disconnected (it keeps retrying). */
export const DISCONNECTED_AFTER_FAILURES = 3;
