/**
 * The two settings that are paths (the history folder, the CA bundle) reach main's file system, and on
 * Windows a UNC path (\\server\share) reaches out over SMB. Over IPC, main accepts only paths the user
 * picked in a native dialog in this session, the defaults, and the values the app started with; any
 * other path the page sends makes main ask the user in the native dialog instead, and what the user
 * picks there is what is saved. Cancelling refuses the change with a sentence.
 */
import { resolve } from 'node:path';
import { HostError } from '../src/node/host/host-error.ts';

export type PathSetting = 'historyDir' | 'caBundle';

const PATH_SETTINGS: readonly PathSetting[] = ['historyDir', 'caBundle'];

/** Asks the user for a folder (historyDir) or a PEM file (caBundle) in a native dialog; undefined when cancelled. */
export type PickPath = (setting: PathSetting, startAt: string | undefined) => Promise<string | undefined>;

/** A network path (\\server\share, //server/share, \\?\UNC\…): never shown to a dialog, never accepted unpicked. */
export function isNetworkPath(path: string): boolean {
  return /^[\\/]{2}/.test(path);
}

export class PickedPaths {
  private readonly allowed: Record<PathSetting, Set<string>> = { historyDir: new Set(), caBundle: new Set() };

  /** `accepted`: the defaults and the values the app started with. */
  constructor(accepted: Partial<Record<PathSetting, (string | undefined)[]>>) {
    for (const setting of PATH_SETTINGS) for (const path of accepted[setting] ?? []) if (path) this.allow(setting, path);
  }

  allow(setting: PathSetting, path: string): void {
    this.allowed[setting].add(resolve(path));
  }

  /** The CA bundle may always be emptied (no extra CA). */
  isAllowed(setting: PathSetting, path: string): boolean {
    if (setting === 'caBundle' && path === '') return true;
    return this.allowed[setting].has(resolve(path));
  }

  /**
   * The patch to apply: path fields already accepted pass; any other makes `pick` ask the user, and the
   * picked path replaces it. Throws a HostError sentence when the user cancels.
   */
  async check(patch: Record<string, unknown>, pick: PickPath): Promise<Record<string, unknown>> {
    const checked = { ...patch };
    for (const setting of PATH_SETTINGS) {
      const wanted = checked[setting];
      // Not a string: the settings service refuses it with its own sentence.
      if (typeof wanted !== 'string' || this.isAllowed(setting, wanted)) continue;
      const picked = await pick(setting, wanted && !isNetworkPath(wanted) ? wanted : undefined);
      if (!picked)
        throw new HostError(
          setting === 'historyDir'
            ? 'The history folder was not changed: the desktop app uses a folder only when it is chosen in its folder dialog.'
            : 'The CA bundle was not changed: the desktop app uses a file only when it is chosen in its file dialog.',
        );
      this.allow(setting, picked);
      checked[setting] = picked;
    }
    return checked;
  }
}
