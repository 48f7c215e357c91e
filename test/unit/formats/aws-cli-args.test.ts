import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAwsCliCommand } from '../../../src/common/formats/aws-cli-args.ts';
import { emitAwsCli } from '../../../src/common/formats/export-shell.ts';
import { isError } from '../../../src/common/formats/problems.ts';
import { heartbeat } from './arbitraries.ts';

describe('parseAwsCliCommand', () => {
  it('reads the seed synopsis: scalars, shorthand lists (one word per item), a shorthand structure, endpoint and region', () => {
    const command = `aws sagemaker-edge send-heartbeat \\
      --agent-version 1.0 --device-name camera-01 --device-fleet-name fleet-1 \\
      --models ModelName=resnet,ModelVersion=2,LatestInference=2026-01-01T00:00:00Z,ModelMetrics=[{MetricName=Latency,Value=1.5,Timestamp=1767225600}] ModelName=yolo \\
      --agent-metrics 'Dimension=agent,MetricName=CpuUtilization,Value=12' \\
      --deployment-result 'DeploymentName=d1,DeploymentModels=[{ModelName=resnet,Status=FAIL,RollbackFailureReason="disk full, no space"}]' \\
      --endpoint-url http://127.0.0.1:8080 --region eu-west-1`;
    const read = parseAwsCliCommand(command);
    expect(read.problems).toEqual([]);
    expect(read).toMatchObject({ operation: 'SendHeartbeat', endpointUrl: 'http://127.0.0.1:8080', region: 'eu-west-1' });
    expect(read.doc).toEqual({
      AgentVersion: '1.0',
      DeviceName: 'camera-01',
      DeviceFleetName: 'fleet-1',
      Models: [
        {
          ModelName: 'resnet',
          ModelVersion: '2',
          LatestInference: 1767225600,
          ModelMetrics: [{ MetricName: 'Latency', Value: 1.5, Timestamp: 1767225600 }],
        },
        { ModelName: 'yolo' },
      ],
      AgentMetrics: [{ Dimension: 'agent', MetricName: 'CpuUtilization', Value: 12 }],
      DeploymentResult: {
        DeploymentName: 'd1',
        DeploymentModels: [{ ModelName: 'resnet', Status: 'FAIL', RollbackFailureReason: 'disk full, no space' }],
      },
    });
  });

  it('reads JSON parameter values (with ISO timestamps), --opt=value, and --cli-input-json under explicit parameters', () => {
    const read = parseAwsCliCommand(
      `aws --region us-west-2 sagemaker-edge send-heartbeat --cli-input-json '{"AgentVersion":"0.9","DeviceName":"old","DeviceFleetName":"f"}' --device-name=new --models '[{"ModelName":"resnet","LatestInference":"2026-01-01T00:00:00Z"}]'`,
    );
    expect(read.problems).toEqual([]);
    expect(read.region).toBe('us-west-2');
    expect(read.doc).toEqual({
      AgentVersion: '0.9',
      DeviceName: 'new',
      DeviceFleetName: 'f',
      Models: [{ ModelName: 'resnet', LatestInference: 1767225600 }],
    });
  });

  it('reads --cli-input-yaml and the other operations', () => {
    const read = parseAwsCliCommand(`aws sagemaker-edge get-deployments --cli-input-yaml 'DeviceName: d
DeviceFleetName: f'`);
    expect(read.problems).toEqual([]);
    expect(read).toMatchObject({ operation: 'GetDeployments', doc: { DeviceName: 'd', DeviceFleetName: 'f' } });
  });

  it('names unknown options with a suggestion, and ignores global options with a warning', () => {
    const read = parseAwsCliCommand('aws sagemaker-edge send-heartbeat --device-nmae d --profile dev --debug');
    expect(read.problems.filter(isError).map((p) => p.message)).toEqual(['Unknown option --device-nmae. Did you mean --device-name?']);
    expect(read.problems.filter((p) => !isError(p))).toHaveLength(2);
  });

  it('refuses what it would have to read from files, and other commands', () => {
    expect(parseAwsCliCommand('aws sagemaker-edge send-heartbeat --cli-input-json file://x.json').problems[0].message).toMatch(
      /cannot be done here/,
    );
    expect(parseAwsCliCommand('aws sagemaker-edge send-heartbeat --models file://m.json').problems[0].message).toMatch(
      /cannot be done here/,
    );
    expect(parseAwsCliCommand('aws s3 ls').problems.filter(isError).length).toBeGreaterThan(0);
    expect(parseAwsCliCommand('aws sagemaker-edge describe-device').problems[0].message).toMatch(/not a sagemaker-edge command/);
  });

  it('reports shorthand and JSON syntax errors at the parameter', () => {
    const read = parseAwsCliCommand(`aws sagemaker-edge send-heartbeat --models 'ModelName=[a' --deployment-result '{"DeploymentName": }'`);
    expect(read.problems.map((p) => p.path)).toEqual(['/Models/0', '/DeploymentResult/DeploymentName']);
    expect(read.problems.every((p) => /^In --(models|deployment-result): /.test(p.message))).toBe(true);
  });

  it('parses back every aws-cli export, JSON or shorthand style, exactly', () => {
    fc.assert(
      fc.property(heartbeat(), fc.constantFrom('json' as const, 'shorthand' as const), (doc, style) => {
        const command = emitAwsCli(doc, { style, endpointUrl: 'http://127.0.0.1:1/x y', region: 'eu-west-1' });
        const read = parseAwsCliCommand(command);
        expect(read.problems).toEqual([]);
        expect(read.doc).toEqual(doc);
        expect(read).toMatchObject({ endpointUrl: 'http://127.0.0.1:1/x y', region: 'eu-west-1' });
      }),
      { numRuns: 200 },
    );
  });

  it('puts values the AWS CLI would load from a file, or read as an option, where it reads them literally', () => {
    const doc = { AgentVersion: 'file://etc/passwd', DeviceName: 'd', DeviceFleetName: 'f' };
    const command = emitAwsCli(doc);
    expect(command).toContain('--cli-input-json');
    expect(parseAwsCliCommand(command).doc).toEqual(doc);
    const dash = emitAwsCli({ AgentVersion: '-1 beta', DeviceName: 'd', DeviceFleetName: 'f' });
    expect(dash).toContain("--agent-version='-1 beta'");
  });
});
