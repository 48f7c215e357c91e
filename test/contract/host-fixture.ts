/** Real host services in a temporary folder, with an AWS config file naming one profile. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHostServices, type HostServices } from '../../src/node/host/services.ts';

export interface HostFixture {
  services: HostServices;
  dir: string;
  close(): Promise<void>;
}

export async function startHostFixture(): Promise<HostFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'heartbeat-host-'));
  const config = join(dir, 'aws-config');
  writeFileSync(config, '[profile contract-profile]\nregion = eu-west-1\n');
  process.env.AWS_CONFIG_FILE = config;
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'aws-credentials-none');
  const services = await startHostServices({ historyDir: join(dir, 'history'), settingsFile: join(dir, 'settings.json') });
  return {
    services,
    dir,
    async close() {
      await services.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
