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
  /** A CSS variable (e.g. --ok) or a colour. */
  colour: string;
  dash?: boolean;
}
