// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { useDocumentStore } from '../../../src/renderer/stores/document.ts';
import { formMemberOrder } from '../../../src/renderer/form/fields.ts';
import { requestSchema } from '../../../src/common/model/index.ts';

const TEXT = `{
  "DeviceName": "dev-1",
  "X-Custom": true,
  "DeviceFleetName": "fleet",
  "AgentVersion": "1.0"
}`;

describe('document store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('starts with a valid heartbeat', () => {
    const store = useDocumentStore();
    expect(store.valid).toBe(true);
    expect((store.doc as { DeviceName: string }).DeviceName).toBe('demo-device-01');
  });

  it('parses and validates JSON text, keeping problems by pointer', () => {
    const store = useDocumentStore();
    store.setText(TEXT.replace('"dev-1"', '"bad name"'));
    expect(store.valid).toBe(false);
    expect(store.problemsByPath.get('/DeviceName')?.[0].keyword).toBe('pattern');
    expect(store.problemsByPath.get('/X-Custom')?.[0].keyword).toBe('additionalProperties');
  });

  it('keeps the last good document through a syntax error, and reports where it is', () => {
    const store = useDocumentStore();
    store.setText(TEXT);
    store.setText(TEXT.replace('"dev-1",', '"dev-1"'));
    expect(store.syntaxError).toMatchObject({ line: 3 });
    expect((store.doc as { DeviceName: string }).DeviceName).toBe('dev-1');
    expect(store.problemsByPath.size).toBe(1); // X-Custom, from the last good document
  });

  it('applies form edits as minimal text edits, keeping order and members the form does not show', () => {
    const store = useDocumentStore();
    store.setText(TEXT);
    expect(store.change({ op: 'set', pointer: '/DeviceName', value: 'dev-2' })).toBe(true);
    expect(store.text).toBe(TEXT.replace('"dev-1"', '"dev-2"'));
    expect(store.editSource).toBe('/DeviceName');
  });

  it('places new members in form order', () => {
    const store = useDocumentStore();
    store.setMemberOrder(formMemberOrder(requestSchema('SendHeartbeat')));
    store.setText('{\n  "AgentVersion": "1",\n  "DeviceFleetName": "f"\n}');
    store.change({ op: 'set', pointer: '/DeviceName', value: 'd' });
    expect(Object.keys(JSON.parse(store.text))).toEqual(['AgentVersion', 'DeviceName', 'DeviceFleetName']);
    store.change({ op: 'insert', pointer: '/AgentMetrics', value: { Value: 1 } });
    expect(Object.keys(JSON.parse(store.text))).toEqual(['AgentVersion', 'DeviceName', 'DeviceFleetName', 'AgentMetrics']);
  });

  it('refuses form edits while the text does not parse, changing nothing', () => {
    const store = useDocumentStore();
    store.setText('{"DeviceName": ');
    expect(store.change({ op: 'set', pointer: '/DeviceName', value: 'x' })).toBe(false);
    expect(store.text).toBe('{"DeviceName": ');
  });

  it('counts problems under a pointer', () => {
    const store = useDocumentStore();
    store.setText(
      '{"AgentVersion":"1","DeviceName":"d","DeviceFleetName":"f","Models":[{"ModelName":"ab"},{"ModelName":"abcd"},{"ModelName":"x","ModelVersion":""}]}',
    );
    expect(store.problemCountUnder('/Models/0')).toBe(1);
    expect(store.problemCountUnder('/Models/1')).toBe(0);
    expect(store.problemCountUnder('/Models/2')).toBe(3); // too short a name; an empty version fails length and pattern
    expect(store.problemCountUnder('/Models')).toBe(4);
  });
});
