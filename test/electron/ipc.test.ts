/** Main's IPC handlers: who may call, what arguments pass, and what comes back (typed outcomes only). */
import { describe, expect, it, vi } from 'vitest';
import type { HeartbeatApi, HostEvent } from '../../src/common/api.ts';
import { API_METHODS } from '../../src/common/api-args.ts';
import { channelOf, EVENT_CHANNEL } from '../../electron/channels.ts';
import { FOREIGN_SENDER, forwardHostEvents, registerApiHandlers } from '../../electron/ipc.ts';
import { FakeFrame, FakeIpcMain, FakeWebContents, type SenderEventLike } from './fake-electron.ts';

/** An API whose every method records its call and resolves a marker. */
function recordingApi() {
  const calls: string[] = [];
  let listener: ((event: HostEvent) => void) | undefined;
  // The answer is passed as a rest argument so that `undefined` is an answer, not "use the default".
  const record =
    (name: string, ...answer: unknown[]) =>
    async (...args: unknown[]) => (calls.push(`${name} ${JSON.stringify(args)}`), answer.length ? answer[0] : { from: name });
  const api = {
    send: record('send'),
    cancel: record('cancel', true),
    history: {
      query: record('history.query'),
      get: record('history.get', undefined),
      export: record('history.export'),
      clear: record('history.clear'),
    },
    replay: record('replay'),
    credentials: {
      profiles: record('credentials.profiles', []),
      registerManualKeys: record('credentials.registerManualKeys'),
      manualKeys: record('credentials.manualKeys', []),
      forgetManualKeys: record('credentials.forgetManualKeys', false),
    },
    endpoint: {
      info: record('endpoint.info'),
      setFaults: record('endpoint.setFaults'),
      reset: record('endpoint.reset'),
      exchange: record('endpoint.exchange', undefined),
      fleetReport: record('endpoint.fleetReport'),
      deploymentPlans: record('endpoint.deploymentPlans', []),
      createDeploymentPlan: record('endpoint.createDeploymentPlan'),
      cancelDeploymentPlan: record('endpoint.cancelDeploymentPlan'),
    },
    settings: { get: record('settings.get'), update: record('settings.update') },
    subscribe: (l: (event: HostEvent) => void) => ((listener = l), () => (listener = undefined)),
  } as unknown as HeartbeatApi;
  return { api, calls, emit: (event: HostEvent) => listener?.(event) };
}

function setUp() {
  const ipcMain = new FakeIpcMain();
  const ours = new FakeWebContents();
  const recorded = recordingApi();
  let trusted: FakeWebContents | undefined = ours;
  const dispose = registerApiHandlers(ipcMain, recorded.api, () => trusted);
  const fromOurPage: SenderEventLike = { sender: ours, senderFrame: ours.mainFrame };
  return { ipcMain, ours, ...recorded, dispose, fromOurPage, closeWindow: () => (trusted = undefined) };
}

describe('IPC handlers', () => {
  it('register exactly one prefixed channel per API method, and remove them', () => {
    const { ipcMain, dispose } = setUp();
    expect([...ipcMain.handlers.keys()].sort()).toEqual(API_METHODS.map(channelOf).sort());
    expect(channelOf('history.query')).toBe('heartbeat:history.query');
    dispose();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('answer our page with typed outcomes, calling the API with the named arguments', async () => {
    const { ipcMain, calls, fromOurPage } = setUp();
    expect(await ipcMain.invoke(fromOurPage, 'heartbeat:history.query', { query: { text: 'cam' } })).toEqual({
      ok: true,
      result: { from: 'history.query' },
    });
    expect(await ipcMain.invoke(fromOurPage, 'heartbeat:history.get', { id: 'x' })).toEqual({ ok: true, result: null });
    expect(await ipcMain.invoke(fromOurPage, 'heartbeat:cancel', { id: 'send-1' })).toEqual({ ok: true, result: true });
    expect(calls).toEqual(['history.query [{"text":"cam"}]', 'history.get ["x"]', 'cancel ["send-1"]']);
  });

  it.each([
    ['a page of another origin', (c: FakeWebContents) => ({ sender: c, senderFrame: new FakeFrame('https://evil.example/') })],
    ['a file:// page', (c: FakeWebContents) => ({ sender: c, senderFrame: new FakeFrame('file:///tmp/x.html') })],
    ['a look-alike origin', (c: FakeWebContents) => ({ sender: c, senderFrame: new FakeFrame('app://heartbeat.evil/index.html') })],
    [
      'a sub-frame of our page',
      (c: FakeWebContents) => ({ sender: c, senderFrame: new FakeFrame('app://heartbeat/index.html', c.mainFrame) }),
    ],
    ['a frame that is gone', (c: FakeWebContents) => ({ sender: c, senderFrame: null })],
    [
      'another window showing our page',
      () => ({ sender: new FakeWebContents(), senderFrame: new FakeFrame('app://heartbeat/index.html') }),
    ],
  ])('refuse %s without calling the API', async (_what, event) => {
    const { ipcMain, ours, calls } = setUp();
    for (const method of API_METHODS) {
      expect(await ipcMain.invoke(event(ours), channelOf(method), {}), method).toEqual({ ok: false, error: { message: FOREIGN_SENDER } });
    }
    expect(calls).toEqual([]);
  });

  it('refuse every sender once the window is closed', async () => {
    const { ipcMain, calls, fromOurPage, closeWindow } = setUp();
    closeWindow();
    expect(await ipcMain.invoke(fromOurPage, 'heartbeat:endpoint.info', {})).toEqual({ ok: false, error: { message: FOREIGN_SENDER } });
    expect(calls).toEqual([]);
  });

  it('refuse malformed arguments with the checks the HTTP host uses, as sentences', async () => {
    const { ipcMain, calls, fromOurPage } = setUp();
    const refused = async (channel: string, ...args: unknown[]) => {
      const outcome = (await ipcMain.invoke(fromOurPage, channel, ...args)) as { ok: boolean; error?: { message: string } };
      expect(outcome.ok, channel).toBe(false);
      expect(outcome.error?.message).not.toMatch(/\n\s+at /);
      return outcome.error?.message;
    };
    expect(await refused('heartbeat:cancel', 'send-1')).toBe('The app host takes one object of named arguments.');
    expect(await refused('heartbeat:cancel', { id: 'a' }, { id: 'b' })).toBe('The app host takes one object of named arguments.');
    expect(await refused('heartbeat:cancel', [{ id: 'a' }])).toBe('The app host takes one object of named arguments.');
    expect(await refused('heartbeat:cancel')).toBe('The app host takes one object of named arguments.');
    expect(await refused('heartbeat:cancel', { id: 42 })).toBe('id must be text of at most 128 characters.');
    expect(await refused('heartbeat:history.clear', { everything: true })).toBe('"everything" is not an argument of history.clear.');
    expect(await refused('heartbeat:history.export', { query: {}, format: 'csv' })).toBe('format must be one of jsonl, har.');
    expect(
      await refused('heartbeat:send', {
        request: { id: 'x', operation: 'SendHeartbeat', body: '{}', target: { kind: 'moon' }, credentials: { kind: 'demo' } },
      }),
    ).toMatch(/target\.kind must be local, region or url/);
    expect(
      await refused('heartbeat:credentials.registerManualKeys', { keys: { accessKeyId: 'AKIA', secretAccessKey: 'x', extra: 1 } }),
    ).toMatch(/unknown field "extra"/);
    expect(calls).toEqual([]);
  });

  it('turn a failing service into a sentence, never a stack', async () => {
    const { ipcMain, api, fromOurPage } = setUp();
    vi.spyOn(api.endpoint, 'info').mockRejectedValue(new Error('socket hang up'));
    expect(await ipcMain.invoke(fromOurPage, 'heartbeat:endpoint.info', {})).toEqual({
      ok: false,
      error: { message: 'The host failed: socket hang up.' },
    });
  });
});

describe('host events', () => {
  it('reach our window only while it shows our page', () => {
    const { api, emit } = recordingApi();
    const contents = new FakeWebContents();
    forwardHostEvents(api, () => contents);
    const event: HostEvent = {
      type: 'history',
      entry: { id: 'h1', time: '2024-01-01T00:00:00Z', operation: 'SendHeartbeat', status: 'success' },
    };
    emit(event);
    contents.mainFrame.url = 'https://evil.example/';
    emit(event);
    contents.mainFrame.url = 'app://heartbeat/index.html';
    contents.destroyed = true;
    emit(event);
    expect(contents.sent).toEqual([{ channel: EVENT_CHANNEL, payload: event }]);
  });
});
