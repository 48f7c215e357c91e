/**
 * The Run view's state (docs/runs.md#the-run-view): the open capture as the host indexes it, the run under
 * way and its options, the table's filter. Rows are not kept here: the table asks the host for the pages
 * it shows (src/renderer/components/runs/RunTable.vue). State and thin setters; the I/O is in use-runs.ts.
 */
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { CaptureFormat, CaptureInfo, Expectation, RunFilter, RunItemResult, RunState, TimestampRewrite } from '../../common/api.ts';

export interface RunOptions {
  concurrency: number;
  /** Sends per second at most; '' for no cap. */
  rate: number | '';
  timestamps: TimestampRewrite;
  deviceName: string;
  fleetName: string;
  /** '' for no expectation. */
  expect: '' | 'recorded' | '2xx' | 'status';
  /** The status `expect: 'status'` checks. */
  status: number;
}

export const DEFAULT_RUN_OPTIONS: RunOptions = {
  concurrency: 8,
  rate: '',
  timestamps: 'keep',
  deviceName: '',
  fleetName: '',
  expect: '',
  status: 200,
};

export function expectationOf(options: RunOptions): Expectation | undefined {
  if (options.expect === '') return undefined;
  return options.expect === 'status' ? options.status : options.expect;
}

export const useRunsStore = defineStore('runs', () => {
  const capture = shallowRef<CaptureInfo | undefined>(undefined);
  /** The format the user chose instead of the guess (reopened as it), if any. */
  const chosenFormat = shallowRef<CaptureFormat | undefined>(undefined);
  /** Bytes of the file sent to the host so far, and its size (the page's own reading progress). */
  const upload = shallowRef<{ sent: number; size: number } | undefined>(undefined);
  const run = shallowRef<RunState | undefined>(undefined);
  const options = shallowRef<RunOptions>({ ...DEFAULT_RUN_OPTIONS });
  const filter = shallowRef<RunFilter>('all');
  /** Results that came with `run` events since the table last took them (it patches its rows in place). */
  let fresh: RunItemResult[] = [];
  /** Bumped when rows change: new items indexed, results arrived, a new run, a new filter. */
  const rowsVersion = shallowRef(0);
  /** One sentence about the latest action (an error, "Exported …"). */
  const message = shallowRef<string | undefined>(undefined);
  /** The view asks App to show it (a capture opened from the composer). */
  const showRequested = shallowRef(0);

  return {
    capture,
    chosenFormat,
    upload,
    run,
    options,
    filter,
    rowsVersion,
    message,
    showRequested,
    setCapture(next: CaptureInfo | undefined) {
      if (next && capture.value && next.id !== capture.value.id) return;
      const grew = !capture.value || !next || next.items !== capture.value.items;
      capture.value = next;
      if (grew) rowsVersion.value++;
    },
    /** A new capture replaces the open one (and its run). */
    replaceCapture(next: CaptureInfo) {
      capture.value = next;
      run.value = undefined;
      fresh = [];
      filter.value = 'all';
      rowsVersion.value++;
    },
    setRun(next: RunState | undefined, results: RunItemResult[] = []) {
      if (next && run.value && next.id !== run.value.id) return;
      run.value = next;
      if (results.length > 0) {
        fresh.push(...results);
        rowsVersion.value++;
      }
    },
    startRun(next: RunState) {
      run.value = next;
      fresh = [];
      rowsVersion.value++;
    },
    takeResults(): RunItemResult[] {
      const taken = fresh;
      fresh = [];
      return taken;
    },
    setFilter(next: RunFilter) {
      filter.value = next;
      rowsVersion.value++;
    },
    setOptions(patch: Partial<RunOptions>) {
      options.value = { ...options.value, ...patch };
    },
    requestShow() {
      showRequested.value++;
    },
  };
});
