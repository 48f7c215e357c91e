import { describe, expect, it } from 'vitest';
import { requestSchema, schemaAt, type SchemaNode } from '../../../src/common/model/index.ts';
import { fieldId, fieldsOf, formMemberOrder, newRow, rowSummary } from '../../../src/renderer/form/fields.ts';
import { visibleWindow } from '../../../src/renderer/form/window.ts';
import { epochToLocalInput, localInputToEpoch, parseNumberDraft } from '../../../src/renderer/form/values.ts';

const root = requestSchema('SendHeartbeat');

/** Every pointer (with [] for array items) the form renders a control or list for. */
function formPointers(schema: SchemaNode, pointer: string, out: string[] = []): string[] {
  for (const field of fieldsOf(schema, pointer)) {
    out.push(field.pointer);
    if (field.kind === 'list' && field.schema.items) formPointers(field.schema.items, `${field.pointer}/0`, out);
    if (field.kind === 'object') formPointers(field.schema, field.pointer, out);
  }
  return out;
}

/** Every member pointer the schema defines. */
function schemaPointers(schema: SchemaNode, pointer: string, out: string[] = []): string[] {
  for (const [name, sub] of Object.entries(schema.properties ?? {})) {
    const p = `${pointer}/${name}`;
    out.push(p);
    if (sub.type === 'array' && sub.items?.type === 'object') schemaPointers(sub.items, `${p}/0`, out);
    if (sub.type === 'object') schemaPointers(sub, p, out);
  }
  return out;
}

describe('form fields from the schema', () => {
  it('covers every member of SendHeartbeat, nested ones included', () => {
    expect(formPointers(root, '').sort()).toEqual(schemaPointers(root, '').sort());
    expect(formPointers(root, '')).toContain('/Models/0/ModelMetrics/0/Timestamp');
    expect(formPointers(root, '')).toContain('/DeploymentResult/DeploymentModels/0/DesiredState');
  });

  it('puts plain fields first, marks required ones, and picks kinds and help from the model', () => {
    const fields = fieldsOf(root, '');
    expect(fields.map((f) => f.name)).toEqual([
      'AgentVersion',
      'DeviceName',
      'DeviceFleetName',
      'AgentMetrics',
      'Models',
      'DeploymentResult',
    ]);
    expect(fields.filter((f) => f.required).map((f) => f.name)).toEqual(['AgentVersion', 'DeviceName', 'DeviceFleetName']);
    expect(fields.find((f) => f.name === 'DeviceName')?.help).toContain('The unique name of the device');
    const deploymentModel = schemaAt(root, '/DeploymentResult/DeploymentModels/0')!;
    const status = fieldsOf(deploymentModel, '/x').find((f) => f.name === 'Status')!;
    expect(status).toMatchObject({ kind: 'enum', enumValues: ['SUCCESS', 'FAIL'] });
    const metric = fieldsOf(schemaAt(root, '/AgentMetrics/0')!, '/AgentMetrics/0');
    expect(metric.map((f) => [f.name, f.kind])).toEqual([
      ['Dimension', 'text'],
      ['MetricName', 'text'],
      ['Value', 'number'],
      ['Timestamp', 'timestamp'],
    ]);
  });

  it('orders new members as the form shows them', () => {
    const order = formMemberOrder(root);
    expect(order('')).toEqual(['AgentVersion', 'DeviceName', 'DeviceFleetName', 'AgentMetrics', 'Models', 'DeploymentResult']);
    expect(order('/Models/3')?.[0]).toBe('ModelName');
    expect(order('/DeviceName')).toBeUndefined();
  });

  it('makes distinct, selector-safe ids', () => {
    const ids = formPointers(root, '').map(fieldId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(fieldId('/a b/0')).toMatch(/^[A-Za-z][\w-]*$/);
    expect(fieldId('/a_b')).not.toBe(fieldId('/a b'));
  });

  it('starts new rows with now and zero, and summarises rows', () => {
    expect(newRow(schemaAt(root, '/AgentMetrics/0')!, 1700000000)).toEqual({ Value: 0, Timestamp: 1700000000 });
    expect(newRow(schemaAt(root, '/Models/0')!, 5)).toEqual({ LatestSampleTime: 5, LatestInference: 5 });
    expect(rowSummary(schemaAt(root, '/Models/0')!, { ModelName: 'resnet', ModelVersion: '2', LatestInference: 1 })).toBe('resnet · 2');
    expect(rowSummary(schemaAt(root, '/Models/0')!, {})).toBe('(empty)');
  });
});

describe('list windowing', () => {
  it('renders only the rows in view plus overscan', () => {
    expect(visibleWindow(1000, 34, 0, 272, 4)).toEqual({ start: 0, end: 13 });
    expect(visibleWindow(1000, 34, 34 * 500, 272, 4)).toEqual({ start: 496, end: 513 });
    expect(visibleWindow(1000, 34, 34 * 2000, 272, 4)).toEqual({ start: 1000, end: 1000 });
    expect(visibleWindow(3, 34, 0, 102, 4)).toEqual({ start: 0, end: 3 });
    expect(visibleWindow(0, 34, 0, 34, 4)).toEqual({ start: 0, end: 0 });
  });
});

describe('control values', () => {
  it('commits a number only when it is finished', () => {
    expect(parseNumberDraft('12.5')).toBe(12.5);
    expect(parseNumberDraft(' -3e2 ')).toBe(-300);
    for (const draft of ['', '-', '1.', '1e', 'abc', '0x10', 'Infinity', '1e999']) expect(parseNumberDraft(draft)).toBeUndefined();
  });

  it('round-trips local date-time input values to whole seconds', () => {
    const seconds = 1763796503;
    const local = epochToLocalInput(seconds);
    expect(local).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    expect(localInputToEpoch(local)).toBe(seconds);
    expect(localInputToEpoch('2026-01-02T03:04')).toBe(Math.floor(new Date(2026, 0, 2, 3, 4).getTime() / 1000));
    expect(localInputToEpoch('nope')).toBeUndefined();
    expect(epochToLocalInput(1e20)).toBe('');
  });
});
