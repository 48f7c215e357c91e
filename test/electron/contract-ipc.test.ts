/**
 * The HeartbeatApi contract over Electron IPC: the real preload bridge (createApiBridge) talking through
 * a stand-in ipcRenderer/ipcMain pair (structured clone both ways) to the real handlers of
 * electron/ipc.ts — sender checks included — over the real host services, as in test/integration/host.
 */
import { createApiBridge } from '../../electron/bridge.ts';
import { forwardHostEvents, registerApiHandlers } from '../../electron/ipc.ts';
import { describeHeartbeatApiContract } from '../contract/heartbeat-api.contract.ts';
import { startHostFixture } from '../contract/host-fixture.ts';
import { connectRenderer, FakeIpcMain, FakeWebContents } from './fake-electron.ts';

describeHeartbeatApiContract('Electron IPC (preload bridge → ipcMain handlers)', async () => {
  const fixture = await startHostFixture();
  const ipcMain = new FakeIpcMain();
  const window = new FakeWebContents();
  const removeHandlers = registerApiHandlers(ipcMain, fixture.services.api, () => window);
  const stopEvents = forwardHostEvents(fixture.services.api, () => window);
  return {
    api: createApiBridge(connectRenderer(ipcMain, window)),
    async close() {
      stopEvents();
      removeHandlers();
      await fixture.close();
    },
  };
});
