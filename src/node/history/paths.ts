/**
 * Where the history lives: $HEARTBEAT_HISTORY_DIR, else the platform's per-user data folder
 * (XDG_DATA_HOME or ~/.local/share on Linux, ~/Library/Application Support on macOS,
 * %LOCALAPPDATA% on Windows) + heartbeat-composer/history.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function historyDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (env.HEARTBEAT_HISTORY_DIR) return env.HEARTBEAT_HISTORY_DIR;
  let data: string;
  if (platform === 'win32') data = env.LOCALAPPDATA || join(home, 'AppData', 'Local');
  else if (platform === 'darwin') data = join(home, 'Library', 'Application Support');
  else data = env.XDG_DATA_HOME || join(home, '.local', 'share');
  return join(data, 'heartbeat-composer', 'history');
}

/**
 * The app's configuration folder (settings.json): $HEARTBEAT_CONFIG_DIR, else XDG_CONFIG_HOME or
 * ~/.config on Linux, ~/Library/Application Support on macOS, %APPDATA% on Windows + heartbeat-composer.
 * Never derived from the history folder, which a user may point anywhere.
 */
export function configDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (env.HEARTBEAT_CONFIG_DIR) return env.HEARTBEAT_CONFIG_DIR;
  let config: string;
  if (platform === 'win32') config = env.APPDATA || join(home, 'AppData', 'Roaming');
  else if (platform === 'darwin') config = join(home, 'Library', 'Application Support');
  else config = env.XDG_CONFIG_HOME || join(home, '.config');
  return join(config, 'heartbeat-composer');
}

/** The environments file of variables (docs/variables.md#environments): $HEARTBEAT_ENVIRONMENTS, else environments.yaml in configDir. */
export function environmentsFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.HEARTBEAT_ENVIRONMENTS || join(configDir(env), 'environments.yaml');
}
