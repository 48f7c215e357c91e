/**
 * The Run view's I/O (docs/runs.md#the-run-view): streams a capture (a File, or pasted text) to the host in
 * 1 MiB pieces, follows `capture` and `run` events, starts, pauses, resumes, cancels and re-runs runs with
 * the top bar's target and credentials, and exports results. Failures come back as a sentence.
 */
import { getCurrentInstance, onBeforeUnmount } from 'vue';
import type { CaptureFormat, CaptureRow, DesktopBridge, RunExportFormat } from '../../common/api.ts';
import { errorSentence } from '../platform/errors.ts';
import { expectationOf, useRunsStore } from '../stores/runs.ts';
import { useSessionStore } from '../stores/session.ts';
import { useHostEvents } from './host-events.ts';
import { download } from './use-history.ts';
import { usePlatform } from './platform.ts';

/** Characters per `captures.append` (the host's limit is 4 MiB). */
export const CHUNK_CHARS = 1024 * 1024;

/** Bytes read as a stream: a File, or a file the desktop app's menu picked (read from main in pieces). */
export interface StreamSource {
  name: string;
  size: number;
  stream(): ReadableStream<Uint8Array<ArrayBuffer>>;
}

/** What a capture is read from: a file (streamed, never read whole into the page), or text. */
export type CaptureSource = StreamSource | { name: string; text: string };

const isStream = (source: CaptureSource): source is StreamSource => 'stream' in source;

/** Bytes per DesktopBridge.readPickedFile call. */
export const PICKED_PIECE_BYTES = 1024 * 1024;

/** A file the desktop menu picked and main keeps (an `open-file` command), read from main as it is streamed. */
export function pickedFileSource(
  desktop: Pick<DesktopBridge, 'readPickedFile'>,
  picked: { fileName: string; size: number; file: string },
): StreamSource {
  return {
    name: picked.fileName,
    size: picked.size,
    stream() {
      let offset = 0;
      return new ReadableStream<Uint8Array<ArrayBuffer>>({
        async pull(controller) {
          const bytes = await desktop.readPickedFile(picked.file, offset, PICKED_PIECE_BYTES);
          if (bytes.byteLength === 0) return controller.close();
          offset += bytes.byteLength;
          controller.enqueue(bytes);
        },
      });
    },
  };
}

/** The first piece is small, so the first rows show at once; the rest go in CHUNK_CHARS pieces. */
export const FIRST_CHUNK_CHARS = 64 * 1024;

/** The text of a source in pieces: FIRST_CHUNK_CHARS, then about `size` characters each. */
async function* pieces(source: CaptureSource, size: number): AsyncGenerator<string> {
  let want = Math.min(FIRST_CHUNK_CHARS, size);
  if (!isStream(source)) {
    for (let at = 0; at < source.text.length; at += want, want = size) yield source.text.slice(at, at + want);
    return;
  }
  const reader = source.stream().pipeThrough(new TextDecoderStream()).getReader();
  let held = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    held += value;
    if (held.length >= want) {
      yield held;
      held = '';
      want = size;
    }
  }
  if (held) yield held;
}

/** The source of the open capture (one per page), kept to read it again as another format. */
let source: CaptureSource | undefined;

/** While a run is under way, its state is also asked for this often (events can be dropped under load). */
export const RUN_POLL_MS = 1000;

/**
 * Follows the host's `capture` and `run` events into the store: called once, by the Run view. A stream
 * that drops events under load (a subscriber too slow for a flood) must not leave a run showing as
 * running: its state is asked for every RUN_POLL_MS while it is under way.
 */
export function useRunEvents(): void {
  const store = useRunsStore();
  const { api } = usePlatform();
  useHostEvents((event) => {
    if (event.type === 'capture') store.setCapture(event.info);
    else if (event.type === 'run') store.setRun(event.state, event.results);
  });
  const poll = setInterval(() => {
    const run = store.run;
    if (!run || !['running', 'paused', 'cancelling'].includes(run.state)) return;
    api.runs.state(run.id).then(
      (state) => state && store.setRun(state),
      () => undefined,
    );
  }, RUN_POLL_MS);
  if (getCurrentInstance()) onBeforeUnmount(() => clearInterval(poll));
}

export function useRuns() {
  const { api } = usePlatform();
  const store = useRunsStore();
  const session = useSessionStore();

  const attempt = async (work: () => Promise<unknown>): Promise<boolean> => {
    try {
      await work();
      store.message = undefined;
      return true;
    } catch (error) {
      store.message = errorSentence(error);
      return false;
    }
  };

  /** Opens a capture (closing the one open); resolves when it is read whole. `format` corrects the guess. */
  async function open(next: CaptureSource, format?: CaptureFormat): Promise<boolean> {
    const previous = store.capture;
    if (store.run && (store.run.state === 'running' || store.run.state === 'paused'))
      await api.runs.cancel(store.run.id).catch(() => undefined);
    if (previous) void api.captures.close(previous.id).catch(() => undefined);
    source = next;
    store.chosenFormat = format;
    const size = isStream(next) ? next.size : next.text.length;
    store.upload = { sent: 0, size };
    return attempt(async () => {
      const info = await api.captures.open({ name: next.name, ...(format ? { format } : {}), size });
      store.replaceCapture(info);
      let sent = 0;
      for await (const piece of pieces(next, CHUNK_CHARS)) {
        if (source !== next) return; // another capture was opened meanwhile
        store.setCapture(await api.captures.append(info.id, piece));
        sent += isStream(next) ? new Blob([piece]).size : piece.length;
        store.upload = { sent: Math.min(sent, size), size };
      }
      store.setCapture(await api.captures.finish(info.id));
      store.upload = undefined;
    });
  }

  /** Reads the open capture again as another format (the user corrects the guess). */
  async function reopenAs(format: CaptureFormat): Promise<boolean> {
    return source ? open(source, format) : false;
  }

  async function start(items?: number[], base?: string): Promise<boolean> {
    const capture = store.capture;
    if (!capture) return false;
    const o = store.options;
    const expect = expectationOf(o);
    return attempt(async () => {
      const state = await api.runs.start({
        captureId: capture.id,
        target: session.target,
        credentials: session.credentials,
        concurrency: o.concurrency,
        ...(o.rate !== '' ? { ratePerSecond: o.rate } : {}),
        timestamps: o.timestamps,
        ...(o.deviceName.trim() ? { deviceName: o.deviceName.trim() } : {}),
        ...(o.fleetName.trim() ? { fleetName: o.fleetName.trim() } : {}),
        ...(expect !== undefined ? { expect } : {}),
        ...(items ? { items } : {}),
        ...(base ? { base } : {}),
      });
      store.startRun(state);
    });
  }

  /** Runs the failed items of the latest run again; their new results replace the old ones. */
  async function rerunFailed(): Promise<boolean> {
    const capture = store.capture;
    const run = store.run;
    if (!capture || !run) return false;
    const failed: number[] = [];
    const ok = await attempt(async () => {
      for (let offset = 0; ; offset += 1000) {
        const page = await api.captures.rows(capture.id, { offset, limit: 1000, runId: run.id, filter: 'failed' });
        failed.push(...page.rows.map((r) => r.index));
        if (page.rows.length < 1000) break;
      }
    });
    if (!ok) return false;
    if (failed.length === 0) {
      store.message = 'No item failed: nothing to run again.';
      return false;
    }
    return start(failed, run.id);
  }

  async function pauseOrResume(): Promise<boolean> {
    const run = store.run;
    if (!run) return false;
    return attempt(async () => {
      const next = run.state === 'paused' ? await api.runs.resume(run.id) : await api.runs.pause(run.id);
      if (next) store.setRun(next);
    });
  }

  async function cancel(): Promise<boolean> {
    const run = store.run;
    if (!run) return false;
    return attempt(async () => {
      const next = await api.runs.cancel(run.id);
      if (next) store.setRun(next);
    });
  }

  async function exportAs(format: RunExportFormat): Promise<boolean> {
    const run = store.run;
    if (!run) return false;
    return attempt(async () => {
      const file = await api.runs.export(run.id, format);
      download(file.fileName, file.mediaType, file.text);
      store.message = `Exported ${file.fileName}.`;
    });
  }

  /** A page of the table. */
  function rows(offset: number, limit: number): Promise<{ total: number; rows: CaptureRow[] }> {
    const capture = store.capture;
    if (!capture) return Promise.resolve({ total: 0, rows: [] });
    return api.captures.rows(capture.id, {
      offset,
      limit,
      ...(store.run ? { runId: store.run.id } : {}),
      filter: store.run ? store.filter : 'all',
    });
  }

  return { open, reopenAs, start, rerunFailed, pauseOrResume, cancel, exportAs, rows };
}
