/**
 * Clock-skew correction as the SDK does it: when a response's Date differs from our (corrected) clock
 * by 5 minutes or more, the offset becomes server time − local time, and the next signing uses it.
 */
export const SKEW_LIMIT_MS = 5 * 60_000;

export class SkewClock {
  offsetMs = 0;
  /** The last Date header parsed: a server's Date changes once a second, a replay reads it thousands of times. */
  private lastHeader: string | undefined;
  private lastMs = NaN;

  constructor(private readonly localNow: () => number = Date.now) {}

  now(): number {
    return this.localNow() + this.offsetMs;
  }

  /** Updates the offset from a Date header; true when it changed (the request should be re-signed). */
  observe(dateHeader: string | undefined): boolean {
    if (!dateHeader) return false;
    const server = this.parse(dateHeader);
    if (Number.isNaN(server)) return false;
    if (Math.abs(this.now() - server) < SKEW_LIMIT_MS) return false;
    this.offsetMs = server - this.localNow();
    return true;
  }

  /** Local clock minus server clock, from a Date header (positive: we are ahead). */
  skewFrom(dateHeader: string | undefined): number | undefined {
    const server = dateHeader ? this.parse(dateHeader) : NaN;
    return Number.isNaN(server) ? undefined : this.localNow() - server;
  }

  private parse(dateHeader: string): number {
    if (dateHeader !== this.lastHeader) {
      this.lastHeader = dateHeader;
      this.lastMs = Date.parse(dateHeader);
    }
    return this.lastMs;
  }
}
