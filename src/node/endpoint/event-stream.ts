/**
 * One server-sent-event client with backpressure, for the endpoint's /__admin/events and the app
 * host's /api/events. Events are batched: at most one write per BATCH_INTERVAL_MS (≤ 20 a second per
 * client), at most MAX_BATCH_EVENTS events and about MAX_BATCH_BYTES in one. A client that does not
 * read fast enough (its socket holds more than MAX_BUFFERED_BYTES not yet sent) gets nothing more until
 * it catches up: what happens meanwhile is dropped and counted, and once it catches up it gets one
 * notice saying how many events it missed (`droppedFrame(n)`), then live events again. So a client
 * that never reads costs the server a bounded amount of memory, not everything ever sent.
 */
import type { ServerResponse } from 'node:http';

export const BATCH_INTERVAL_MS = 50;
export const MAX_BATCH_EVENTS = 200;
export const MAX_BATCH_BYTES = 256 * 1024;
export const MAX_BUFFERED_BYTES = 256 * 1024;

export interface EventStreamOptions {
  /** The SSE text announcing that `n` events were dropped (ends with a blank line). */
  droppedFrame(n: number): string;
  /** Keep-alive comment interval; default 15 s. */
  pingMs?: number;
}

export interface EventStreamState {
  /** Bytes written to the client and not yet handed to the kernel. */
  bufferedBytes: number;
  /** Events dropped for this client since it connected. */
  dropped: number;
}

export class EventStream {
  private queue: string[] = [];
  private queuedBytes = 0;
  /** Dropped and not announced yet. */
  private pendingDropped = 0;
  private droppedTotal = 0;
  private timer: NodeJS.Timeout | undefined;
  private lastFlush = 0;
  private closed = false;
  private readonly ping: NodeJS.Timeout;

  constructor(
    private readonly res: ServerResponse,
    private readonly options: EventStreamOptions,
  ) {
    this.ping = setInterval(() => {
      if (!this.congested()) this.write(': ping\n\n');
    }, options.pingMs ?? 15_000);
    this.ping.unref();
    res.on('drain', () => this.schedule());
    res.on('close', () => this.close());
  }

  /** Queues one event's SSE text (ending with a blank line); sent with the next batch, or dropped when the client is behind. */
  push(frame: string): void {
    if (this.closed) return;
    if (
      this.congested() ||
      this.queue.length >= MAX_BATCH_EVENTS ||
      (this.queue.length > 0 && this.queuedBytes + frame.length > MAX_BATCH_BYTES)
    ) {
      this.pendingDropped++;
      this.droppedTotal++;
      this.schedule();
      return;
    }
    this.queue.push(frame);
    this.queuedBytes += frame.length;
    this.schedule();
  }

  get state(): EventStreamState {
    return { bufferedBytes: this.res.writableLength, dropped: this.droppedTotal };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.ping);
    clearTimeout(this.timer);
    this.queue = [];
  }

  private congested(): boolean {
    return this.res.writableLength > MAX_BUFFERED_BYTES;
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    const wait = Math.max(0, this.lastFlush + BATCH_INTERVAL_MS - performance.now());
    this.timer = setTimeout(() => this.flush(), wait);
    this.timer.unref();
  }

  private flush(): void {
    this.timer = undefined;
    if (this.closed || this.res.writableEnded || this.res.destroyed) return;
    if (this.congested()) {
      // Behind: what was queued is dropped too; the 'drain' listener (or the next event) checks again.
      this.pendingDropped += this.queue.length;
      this.droppedTotal += this.queue.length;
      this.queue = [];
      this.queuedBytes = 0;
      return;
    }
    if (this.pendingDropped === 0 && this.queue.length === 0) return;
    const text = (this.pendingDropped > 0 ? this.options.droppedFrame(this.pendingDropped) : '') + this.queue.join('');
    this.pendingDropped = 0;
    this.queue = [];
    this.queuedBytes = 0;
    this.lastFlush = performance.now();
    this.write(text);
  }

  private write(text: string): void {
    if (!this.closed && !this.res.writableEnded && !this.res.destroyed) this.res.write(text);
  }
}
