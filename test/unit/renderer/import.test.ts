import { describe, expect, it } from 'vitest';
import { detectFormat, importForComposer } from '../../../src/renderer/io/import.ts';

const NOW = Date.parse('2026-11-23T10:00:00Z');

describe('detectFormat', () => {
  it('goes by the file name first, then by the first characters', () => {
    expect(detectFormat('{}', 'x.yaml')).toBe('cli-input-yaml');
    expect(detectFormat('DeviceName: a', 'x.YML')).toBe('cli-input-yaml');
    expect(detectFormat('\uFEFF  {"DeviceName": "a"}')).toBe('cli-input-json');
    expect(detectFormat('aws sagemaker-edge send-heartbeat --device-name a')).toBe('shorthand');
    expect(detectFormat('$ aws sagemaker-edge send-heartbeat --device-name a')).toBe('shorthand');
    expect(detectFormat('DeviceName: a\nDeviceFleetName: f')).toBe('cli-input-yaml');
  });
});

describe('importForComposer', () => {
  it('keeps a wire JSON document byte for byte (spacing, key order, number spelling)', () => {
    const text =
      '{ "DeviceFleetName":"f",\n  "DeviceName": "d", "AgentVersion": "1.0", "Models": [{"ModelName":"m","ModelVersion":"1","LatestInference": 1.50}] }';
    expect(importForComposer(text, 'auto', 'a.json', NOW)).toMatchObject({ text, format: 'cli-input-json' });
  });

  it('keeps JSON with a syntax error as is, for the JSON view to point at', () => {
    const text = '{"DeviceName": "d",, }';
    const result = importForComposer(text, 'auto', '', NOW);
    expect(result.text).toBe(text);
    expect(result.problems[0]).toMatchObject({ line: 1 });
  });

  it('converts ISO timestamps of cli-input-json to epoch seconds', () => {
    const result = importForComposer(
      '{"DeviceName":"d","DeviceFleetName":"f","AgentVersion":"1","AgentMetrics":[{"Timestamp":"2026-11-23T10:00:00Z"}]}',
      'auto',
      '',
      NOW,
    );
    expect(JSON.parse(result.text!)).toMatchObject({ AgentMetrics: [{ Timestamp: NOW / 1000 }] });
  });

  it('reads YAML and an aws command line, with its endpoint and region', () => {
    const yaml = importForComposer('DeviceName: d\nDeviceFleetName: f\nAgentVersion: "1.0"\n', 'auto', 'r.yaml', NOW);
    expect(JSON.parse(yaml.text!)).toEqual({ DeviceName: 'd', DeviceFleetName: 'f', AgentVersion: '1.0' });
    const cli = importForComposer(
      'aws sagemaker-edge send-heartbeat --device-name d --device-fleet-name f --agent-version 1.0 --endpoint-url http://127.0.0.1:9 --region eu-west-1',
      'auto',
      '',
      NOW,
    );
    expect(JSON.parse(cli.text!)).toEqual({ DeviceName: 'd', DeviceFleetName: 'f', AgentVersion: '1.0' });
    expect(cli).toMatchObject({ format: 'shorthand', endpointUrl: 'http://127.0.0.1:9', region: 'eu-west-1' });
  });

  it('loads nothing from YAML it cannot read, and says where', () => {
    const result = importForComposer('DeviceName: a\nDeviceName: b\n', 'cli-input-yaml', '', NOW);
    expect(result.text).toBeUndefined();
    expect(result.problems[0]).toMatchObject({ line: 2 });
    expect(result.problems[0].message).toMatch(/Duplicate key/);
  });
});
