import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkText } from '../../../src/common/validation/check-text.ts';

const read = (name: string) => readFileSync(`examples/${name}`, 'utf8');

describe('examples/', () => {
  for (const name of ['healthy-device.json', 'failed-deployment-rollback.json', 'many-models.json']) {
    it(`${name} is a valid SendHeartbeat request`, () => {
      expect(checkText(read(name)).problems).toEqual([]);
    });
  }

  it('many-models.json has 50 models, each with metrics', () => {
    const doc = JSON.parse(read('many-models.json')) as { Models: { ModelMetrics: unknown[] }[] };
    expect(doc.Models).toHaveLength(50);
    expect(doc.Models.every((m) => m.ModelMetrics.length > 0)).toBe(true);
  });

  it('failed-deployment-rollback.json has a FAIL model with a RollbackFailureReason', () => {
    const doc = JSON.parse(read('failed-deployment-rollback.json')) as {
      DeploymentResult: { DeploymentModels: { Status: string; RollbackFailureReason?: string }[] };
    };
    expect(doc.DeploymentResult.DeploymentModels.some((m) => m.Status === 'FAIL' && m.RollbackFailureReason)).toBe(true);
  });

  it('invalid-payload.json fails with exactly the documented errors', () => {
    const check = checkText(read('invalid-payload.json'));
    expect(check.valid).toBe(false);
    expect(check.problems.map((p) => [p.path, p.keyword])).toEqual([
      ['/DeviceFleetName', 'required'],
      ['/AgentVersion', 'pattern'],
      ['/DeviceName', 'pattern'],
      ['/Models/0/ModelNmae', 'additionalProperties'],
      ['/Models/0/LatestInference', 'type'],
      ['/Models/0/ModelMetrics/0/MetricName', 'minLength'],
      ['/Models/0/ModelMetrics/0/Value', 'type'],
      ['/DeploymentResult/DeploymentModels/0/Status', 'enum'],
    ]);
    // examples/README.md documents each of them.
    const readme = read('README.md');
    for (const p of check.problems) expect(readme).toContain(`\`${p.path}\``);
  });

  it('every example file is documented in examples/README.md', () => {
    const readme = read('README.md');
    for (const name of readdirSync('examples').filter((n) => n.endsWith('.json'))) expect(readme).toContain(`\`${name}\``);
  });
});
