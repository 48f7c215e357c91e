/** The HeartbeatApi contract against the in-process services and against the loopback HTTP host. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startUiHost } from '../../../src/node/host/http-host.ts';
import { createHttpApi } from '../../../src/renderer/platform/http.ts';
import { describeHeartbeatApiContract } from '../../contract/heartbeat-api.contract.ts';
import { startHostFixture } from '../../contract/host-fixture.ts';

describeHeartbeatApiContract('in-process services', async () => {
  const fixture = await startHostFixture();
  return { api: fixture.services.api, close: () => fixture.close() };
});

describeHeartbeatApiContract('loopback HTTP host', async () => {
  const fixture = await startHostFixture();
  const uiDir = mkdtempSync(join(tmpdir(), 'heartbeat-ui-'));
  writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>test</title>');
  const host = await startUiHost({ api: fixture.services.api, uiDir });
  const api = createHttpApi({ baseUrl: host.origin, token: host.token, reconnectMs: 100 });
  return {
    api,
    async close() {
      await host.close();
      await fixture.close();
    },
  };
});
