/**
 * Optional persistence of the device registry (`--state FILE`), so a restart keeps the fleet. Writes
 * are coalesced (at most one every `delayMs`) and atomic (temporary file + rename); close() writes the
 * last state.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { DeviceState } from './registry.ts';

interface StateDocument {
  v: 1;
  devices: DeviceState[];
}

export async function loadDeviceState(path: string): Promise<DeviceState[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new Error(
      `Cannot read the device state file ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); check its permissions.`,
      { cause: error },
    );
  }
  try {
    const doc = JSON.parse(text) as Partial<StateDocument>;
    if (doc.v !== 1 || !Array.isArray(doc.devices)) throw new Error('not a state document');
    return doc.devices;
  } catch {
    throw new Error(
      `The device state file ${path} is not a state file written by heartbeat serve; move it away or pass another --state path.`,
    );
  }
}

export class DeviceStateWriter {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly snapshot: () => DeviceState[],
    private readonly delayMs = 200,
  ) {}

  /** Notes a change; the file is written shortly after. */
  changed(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.write();
    }, this.delayMs);
    this.timer.unref();
  }

  /** Writes now and waits for every pending write. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.write();
  }

  private write(): Promise<void> {
    const doc: StateDocument = { v: 1, devices: this.snapshot() };
    this.writing = this.writing.then(async () => {
      const temp = `${this.path}.${process.pid}.tmp`;
      try {
        await writeFile(temp, JSON.stringify(doc));
        await rename(temp, this.path);
      } catch {
        // Persistence is best effort: the registry in memory stays correct.
      }
    });
    return this.writing;
  }
}
