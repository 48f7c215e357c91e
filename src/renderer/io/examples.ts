/** The examples picker: the repository's example requests (examples/*.json) and a generated full request. */
import healthy from '../../../examples/healthy-device.json?raw';
import rollback from '../../../examples/failed-deployment-rollback.json?raw';
import manyModels from '../../../examples/many-models.json?raw';
import invalid from '../../../examples/invalid-payload.json?raw';
import { exampleRequest } from '../../common/formats/index.ts';
import { initialDocumentText } from '../stores/initial-document.ts';

export interface Example {
  id: string;
  label: string;
  text: () => string;
}

export const EXAMPLES: readonly Example[] = [
  { id: 'starter', label: 'Small healthy heartbeat (now)', text: () => initialDocumentText() },
  { id: 'healthy', label: 'Healthy device with metrics', text: () => healthy },
  { id: 'rollback', label: 'Failed deployment and rollback', text: () => rollback },
  { id: 'many-models', label: '50 models, ~150 metrics', text: () => manyModels },
  { id: 'every-member', label: 'Every member filled in', text: () => `${JSON.stringify(exampleRequest('SendHeartbeat'), null, 2)}\n` },
  { id: 'invalid', label: 'Deliberately invalid (for error demos)', text: () => invalid },
];
