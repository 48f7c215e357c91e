/**
 * Runs a describe block once per host a window talks to: the in-process services, and the loopback
 * HTTP host (browser mode) in front of them. `host()` gives the API of the block's host and the fixture
 * (the real services: endpoint, history folder) behind it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import type { HeartbeatApi } from '../../../src/common/api.ts';
import { startUiHost } from '../../../src/node/host/http-host.ts';
import { createHttpApi } from '../../../src/renderer/platform/http.ts';
import { startHostFixture, type HostFixture } from '../../contract/host-fixture.ts';

export interface HostUnderTest {
  api: HeartbeatApi;
  fixture: HostFixture;
}

export function describeOnHosts(title: string, body: (host: () => HostUnderTest) => void): void {
  for (const hostKind of ['in-process', 'loopback HTTP'] as const) {
    describe(`${title}: ${hostKind} host`, () => {
      let current: HostUnderTest | undefined;
      let closeHost = async () => {};
      beforeAll(async () => {
        const fixture = await startHostFixture();
        let api = fixture.services.api;
        if (hostKind === 'loopback HTTP') {
          const uiDir = mkdtempSync(join(tmpdir(), 'heartbeat-ui-'));
          writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>test</title>');
          const host = await startUiHost({ api, uiDir });
          api = createHttpApi({ baseUrl: host.origin, token: host.token, reconnectMs: 100 });
          closeHost = () => host.close();
        }
        current = { api, fixture };
      });
      afterAll(async () => {
        await closeHost();
        await current?.fixture.close();
      });
      body(() => current!);
    });
  }
}
