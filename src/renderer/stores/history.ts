/**
 * The history sidebar's state: the filters, the loaded page(s) of summaries, and the entries picked
 * for a diff. I/O (query, open, re-send, export, clear) lives in composables/use-history.ts.
 */
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { HistoryStatus, HistorySummary } from '../../common/api.ts';

export interface HistoryFilters {
  text: string;
  device: string;
  fleet: string;
  status: HistoryStatus | '';
  /** datetime-local values (local time, no zone), '' for none. */
  from: string;
  to: string;
}

export const EMPTY_FILTERS: HistoryFilters = Object.freeze({ text: '', device: '', fleet: '', status: '', from: '', to: '' });

export const useHistoryStore = defineStore('history', () => {
  const filters = shallowRef<HistoryFilters>({ ...EMPTY_FILTERS });
  const entries = shallowRef<HistorySummary[]>([]);
  const total = shallowRef(0);
  const nextCursor = shallowRef<string | undefined>(undefined);
  const loading = shallowRef(false);
  const error = shallowRef<string | undefined>(undefined);
  /** What the host said that no call returned (lines of the history skipped, live events dropped). */
  const notice = shallowRef<string | undefined>(undefined);
  /** Bumped when this window sent or re-sent: the list is queried again even if the host's event is lost. */
  const revision = shallowRef(0);
  /** Ids picked for a diff, oldest pick first, at most two. */
  const picked = shallowRef<string[]>([]);
  const filtered = computed(() => Object.entries(filters.value).some(([, v]) => v !== ''));

  return {
    filters,
    entries,
    total,
    nextCursor,
    loading,
    error,
    notice,
    setNotice: (message: string | undefined) => (notice.value = message),
    revision,
    changed: () => void (revision.value += 1),
    picked,
    filtered,
    setFilters: (patch: Partial<HistoryFilters>) => (filters.value = { ...filters.value, ...patch }),
    setPage(page: { entries: HistorySummary[]; total: number; nextCursor?: string }, append: boolean) {
      entries.value = append ? [...entries.value, ...page.entries.filter((e) => !entries.value.some((x) => x.id === e.id))] : page.entries;
      total.value = page.total;
      nextCursor.value = page.nextCursor;
    },
    /** A new or completed entry from the host's event stream: replace it in place, or put it first. */
    upsert(entry: HistorySummary) {
      const at = entries.value.findIndex((e) => e.id === entry.id);
      if (at >= 0) entries.value = entries.value.map((e, i) => (i === at ? entry : e));
      else {
        entries.value = [entry, ...entries.value];
        total.value += 1;
      }
    },
    setLoading: (value: boolean) => (loading.value = value),
    setError: (message: string | undefined) => (error.value = message),
    togglePick(id: string) {
      const list = picked.value;
      picked.value = list.includes(id) ? list.filter((x) => x !== id) : [...list, id].slice(-2);
    },
    clearPicks: () => (picked.value = []),
  };
});
