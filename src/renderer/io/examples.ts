/** The examples picker: the repository's example requests (examples/*.json), a generated full request, and a request of each other operation. */
import healthy from '../../../examples/healthy-device.json?raw';
import rollback from '../../../examples/failed-deployment-rollback.json?raw';
import manyModels from '../../../examples/many-models.json?raw';
import invalid from '../../../examples/invalid-payload.json?raw';
import { exampleRequest } from '../../common/formats/index.ts';
import type { Operation } from '../../common/model/index.ts';
import { initialDocumentText } from '../stores/initial-document.ts';

export interface Example {
  id: string;
  label: string;
  text: () => string;
  /** The operation the example is a request of; SendHeartbeat when absent. */
  operation?: Operation;
}

/** The demo device's name and fleet, as the starter heartbeat has them: ask about the device just sent. */
const demoDevice = (): string => `${JSON.stringify({ DeviceName: 'demo-device-01', DeviceFleetName: 'demo-fleet' }, null, 2)}\n`;

export const EXAMPLES: readonly Example[] = [
  { id: 'starter', label: 'Small healthy heartbeat (now)', text: () => initialDocumentText() },
  { id: 'healthy', label: 'Healthy device with metrics', text: () => healthy },
  { id: 'rollback', label: 'Failed deployment and rollback', text: () => rollback },
  { id: 'many-models', label: '50 models, ~150 metrics', text: () => manyModels },
  { id: 'every-member', label: 'Every member filled in', text: () => `${JSON.stringify(exampleRequest('SendHeartbeat'), null, 2)}\n` },
  { id: 'registration', label: 'GetDeviceRegistration of the demo device', text: demoDevice, operation: 'GetDeviceRegistration' },
  { id: 'deployments', label: 'GetDeployments of the demo device', text: demoDevice, operation: 'GetDeployments' },
  { id: 'invalid', label: 'Deliberately invalid (for error demos)', text: () => invalid },
];
