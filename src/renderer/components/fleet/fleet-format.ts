/** Words and types the fleet view's components share. */
import type { DeviceStatus } from '../../../common/api.ts';

export const STATUS_LABELS: Record<DeviceStatus, string> = {
  starting: 'starting',
  registering: 'registering',
  unregistered: 'unregistered',
  healthy: 'healthy',
  offline: 'offline',
  deploying: 'deploying',
};

export interface ChartLine {
  label: string;
  values: ArrayLike<number | null>;
  /** A CSS variable (e.g. --ok), a variable and its fallback (`--series-3 #b05cff`), or a colour. */
  colour: string;
  dash?: boolean;
}

/**
 * Each state's cell colour by its DEVICE_STATUS_CODES character (and `failed`, a failed deployment's
 * corner): presenter mode's --state-* variable when set (presenter-palette.ts), else the theme's, else a
 * fallback.
 */
export const STATE_COLOURS: Readonly<Record<string, readonly [string, string, string]>> = {
  h: ['--state-h', '--ok', '#1a7f37'],
  o: ['--state-o', '--muted', '#5b6470'],
  d: ['--state-d', '--accent', '#1f6feb'],
  u: ['--state-u', '--danger', '#c62828'],
  r: ['--state-r', '--warn', '#9a6700'],
  s: ['--state-s', '--border', '#d5d9df'],
  failed: ['--state-failed', '--danger', '#c62828'],
};
