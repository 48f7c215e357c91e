/**
 * History export: JSON lines (the log's own lines, so `heartbeat replay` reads them back) or HAR 1.2
 * for browser dev tools and HTTP tooling. Both are streamed to the file, so 100,000 entries fit. A fleet
 * run's entry is its run line in JSON lines (replay skips it) and is left out of HAR, which has no place
 * for it (docs/history.md#fleet-run-entries).
 */
import { open } from 'node:fs/promises';
import { once } from 'node:events';
import type { HistoryExportFormat } from '../../common/api.ts';
import { maskKeyId, type OutcomeLine } from '../../common/log/entry.ts';
import type { StoredSend, HistoryIndex, IndexQuery } from './history-index.ts';

interface HarNameValue {
  name: string;
  value: string;
}

const pairs = (headers: Record<string, string>): HarNameValue[] => Object.entries(headers).map(([name, value]) => ({ name, value }));

/** One HAR 1.2 entry; a send that got no response has status 0 and `_error` (HAR's custom-field convention). */
export function harEntry(entry: StoredSend): Record<string, unknown> {
  const { request } = entry;
  const url = new URL(request.request.url);
  let status = 0;
  let responseHeaders: Record<string, string> = {};
  let body = '';
  let error: string | undefined;
  let timings: OutcomeLine['timings'];
  if (request.type === 'exchange') {
    status = request.verdict.status;
    body = request.verdict.message ? JSON.stringify({ message: request.verdict.message }) : '';
    responseHeaders = {
      'x-amzn-requestid': request.verdict.requestId,
      ...(request.verdict.errorType ? { 'x-amzn-errortype': request.verdict.errorType } : {}),
    };
    timings = { totalMs: request.verdict.handlingMs };
  } else if (entry.outcome) {
    const outcome = entry.outcome.outcome;
    timings = entry.outcome.timings;
    if (outcome.kind === 'success') {
      status = outcome.status;
      responseHeaders = outcome.headers;
      body = outcome.body;
    } else if (outcome.kind === 'service-error') {
      status = outcome.status;
      // Entries written before service errors kept the response rebuild it from the error.
      body = outcome.body ?? JSON.stringify({ message: outcome.message });
      responseHeaders = outcome.headers ?? {
        'x-amzn-errortype': outcome.errorType,
        ...(outcome.requestId ? { 'x-amzn-requestid': outcome.requestId } : {}),
      };
    } else error = outcome.message;
  } else error = 'No outcome was recorded (the send was interrupted).';
  const total = timings?.totalMs ?? 0;
  const connect = timings?.connectMs ?? -1;
  const ssl = timings?.tlsMs !== undefined && timings.connectMs !== undefined ? timings.tlsMs - timings.connectMs : -1;
  const firstByte = timings?.firstByteMs ?? total;
  const wait = Math.max(0, firstByte - Math.max(0, timings?.tlsMs ?? timings?.connectMs ?? 0));
  return {
    startedDateTime: request.time,
    time: total,
    request: {
      method: request.request.method,
      url: request.request.url,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: pairs(request.request.headers),
      queryString: [...url.searchParams.entries()].map(([name, value]) => ({ name, value })),
      postData: { mimeType: request.request.headers['content-type'] ?? 'application/json', text: request.request.body },
      headersSize: -1,
      bodySize: Buffer.byteLength(request.request.body),
    },
    response: {
      status,
      statusText: '',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: pairs(responseHeaders),
      content: { size: Buffer.byteLength(body), mimeType: responseHeaders['content-type'] ?? 'application/json', text: body },
      redirectURL: '',
      headersSize: -1,
      bodySize: Buffer.byteLength(body),
    },
    cache: {},
    timings: { blocked: -1, dns: -1, connect, ssl, send: 0, wait, receive: Math.max(0, total - firstByte) },
    ...(error ? { _error: error } : {}),
    _id: request.id,
  };
}

/** Writes the matching entries to `path` (HAR: fleet runs left out); returns how many were written. */
export async function exportHistory(index: HistoryIndex, query: IndexQuery, format: HistoryExportFormat, path: string): Promise<number> {
  const handle = await open(path, 'w');
  const out = handle.createWriteStream();
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await once(out, 'drain');
  };
  let count = 0;
  try {
    if (format === 'har') await write('{"log":{"version":"1.2","creator":{"name":"heartbeat-composer","version":"0.1.0"},"entries":[\n');
    for await (const stored of index.read({ ...query, offset: 0, limit: Number.MAX_SAFE_INTEGER })) {
      if (stored.run) {
        if (format === 'jsonl') {
          await write(JSON.stringify(stored.run) + '\n');
          count++;
        }
        continue;
      }
      // Exports leave the machine (attached to tickets): the access key id goes as its last 4 characters, as the app shows it.
      const entry = { ...stored, request: { ...stored.request, request: maskKeyId(stored.request.request) } };
      if (format === 'jsonl')
        await write(JSON.stringify(entry.request) + '\n' + (entry.outcome ? JSON.stringify(entry.outcome) + '\n' : ''));
      else await write((count > 0 ? ',\n' : '') + JSON.stringify(harEntry(entry)));
      count++;
    }
    if (format === 'har') await write('\n]}}\n');
  } finally {
    out.end();
    await once(out, 'close');
  }
  return count;
}
