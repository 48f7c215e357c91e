/**
 * The three Edge Manager operations, run on a request that is already verified and validated.
 * Each returns the JSON body to answer with ('' for SendHeartbeat's empty 200).
 */
import type { GetDeploymentsRequest, GetDeviceRegistrationRequest, Operation, SendHeartbeatRequest } from '../../common/model/index.ts';
import type { DeviceRegistry } from './registry.ts';

export const OPERATION_PATHS: Readonly<Record<string, Operation>> = Object.freeze({
  '/SendHeartbeat': 'SendHeartbeat',
  '/GetDeviceRegistration': 'GetDeviceRegistration',
  '/GetDeployments': 'GetDeployments',
});

export function runOperation(operation: Operation, doc: unknown, registry: DeviceRegistry, at: Date): string {
  switch (operation) {
    case 'SendHeartbeat':
      registry.recordHeartbeat(doc as SendHeartbeatRequest, at);
      return '';
    case 'GetDeviceRegistration': {
      const { DeviceFleetName, DeviceName } = doc as GetDeviceRegistrationRequest;
      return JSON.stringify(registry.registration(DeviceFleetName, DeviceName));
    }
    case 'GetDeployments': {
      const { DeviceFleetName, DeviceName } = doc as GetDeploymentsRequest;
      return JSON.stringify({ Deployments: registry.deployments(DeviceFleetName, DeviceName) });
    }
  }
}
