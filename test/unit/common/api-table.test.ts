/** The API table (src/common/api-args.ts): routes, clients and the dispatcher all come from it, and a host checks once. */
import { describe, expect, it } from 'vitest';
import type { HeartbeatApi } from '../../../src/common/api.ts';
import { API_METHODS, apiClient, callApi, checkApiArgs, routeOf, withArgumentChecks } from '../../../src/common/api-args.ts';
import { createOfflineApi } from '../../../src/renderer/platform/offline.ts';

describe('the API table', () => {
  it('derives one route per method, and a client with exactly the methods of HeartbeatApi', () => {
    expect(new Set(API_METHODS.map(routeOf)).size).toBe(API_METHODS.length);
    expect(routeOf('history.query')).toBe('/api/history/query');
    const calls: Array<[string, Record<string, unknown>]> = [];
    const client = apiClient(
      async (method, args) => (calls.push([method, args]), null as never),
      () => () => undefined,
    );
    const paths = (o: object, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) => (typeof v === 'function' ? [`${prefix}${k}`] : paths(v as object, `${prefix}${k}.`)));
    expect(paths(client).sort()).toEqual([...API_METHODS, 'subscribe'].sort());
    expect(paths(createOfflineApi()).sort()).toEqual(paths(client).sort());
  });

  it('names the arguments in call order and leaves undefined ones out; null answers come back undefined', async () => {
    const calls: Array<[string, Record<string, unknown>]> = [];
    const client = apiClient(
      async (method, args) => (calls.push([method, args]), null as never),
      () => () => undefined,
    );
    expect(await client.history.export({ text: 'cam' }, 'har')).toBeUndefined();
    await client.replay('id-1');
    await client.replay('id-2', { sendId: 's' });
    expect(calls).toEqual([
      ['history.export', { query: { text: 'cam' }, format: 'har' }],
      ['replay', { id: 'id-1' }],
      ['replay', { id: 'id-2', overrides: { sendId: 's' } }],
    ]);
  });

  it('a host checks once: callApi on the checked API goes past its wrapper to the services', async () => {
    const seen: unknown[] = [];
    const raw: HeartbeatApi = { ...createOfflineApi(), cancel: async (id) => (seen.push(id), true) };
    const checked = withArgumentChecks(raw);
    await expect(checked.cancel(5 as unknown as string)).rejects.toThrow('id must be text of at most 128 characters.');
    expect(checkApiArgs('cancel', { id: 5 })).toBe('id must be text of at most 128 characters.');
    // The HTTP host and IPC call checkApiArgs themselves, then callApi: no second check.
    expect(await callApi(checked, 'cancel', { id: 'x' })).toBe(true);
    expect(seen).toEqual(['x']);
  });
});
