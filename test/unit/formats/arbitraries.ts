/**
 * fast-check arbitraries for VALID SendHeartbeat documents whose free-text members are awkward:
 * quotes, commas, brackets, =, spaces, newlines, backslashes, $ and non-ASCII.
 */
import fc from 'fast-check';
import type { SendHeartbeatRequest } from '../../../src/common/model/index.ts';

const AWKWARD = [
  "'",
  '"',
  '\\',
  ',',
  '=',
  '[',
  ']',
  '{',
  '}',
  ' ',
  '  ',
  '\n',
  '\t',
  '$',
  '`',
  '$(x)',
  '${HOME}',
  '#',
  '@',
  ':',
  ';',
  '|',
  '&',
  '<',
  '>',
  '!',
  '*',
  '?',
  '~',
  '%',
  'é',
  '中文',
  '😀',
  '\u00a0',
  '\u2028',
  '\x1c',
  '\r\n',
  'file://x',
  '-',
  '--x',
  'true',
  'null',
  '1e3',
  '0x1F',
  '- a',
  ': b',
  '\\,',
  "\\'",
  '\\"',
];

/** Well-formed text (no lone surrogates, no NUL: neither survives a shell) mixing awkward pieces and plain characters. */
export const awkwardText = fc
  .array(fc.oneof(fc.constantFrom(...AWKWARD), fc.string({ unit: 'grapheme', maxLength: 4 }), fc.constantFrom('a', 'B', '7', '.', '_')), {
    maxLength: 8,
  })
  .map((parts) => parts.join('').replace(/\0/g, ''));

const codePointLength = (s: string): number => [...s].length;

/** Text that satisfies the unanchored Version pattern [a-zA-Z0-9 _.]+ and 1..64 code points. */
export const versionText = fc
  .tuple(awkwardText, fc.constantFrom('a', 'Z', '0', ' ', '_', '.'), awkwardText)
  .map(([a, b, c]) => a + b + c)
  .filter((s) => codePointLength(s) <= 64);

const alnum = fc.constantFrom(...'abcXYZ0189'.split(''));
/** ^[a-zA-Z0-9](-*_*[a-zA-Z0-9])*$ */
const deviceName = fc
  .tuple(alnum, fc.array(fc.tuple(fc.constantFrom('', '-', '_', '-_', '--'), alnum), { maxLength: 10 }))
  .map(([first, rest]) => first + rest.map(([sep, c]) => sep + c).join(''));
/** ^[a-zA-Z0-9](-*[a-zA-Z0-9])*$ of min..max length. */
const entityName = (min: number) =>
  fc
    .tuple(alnum, fc.array(fc.tuple(fc.constantFrom('', '-'), alnum), { minLength: min, maxLength: 12 }))
    .map(([first, rest]) => first + rest.map(([sep, c]) => sep + c).join(''));
/** ^[a-zA-Z0-9](-*[a-zA-Z0-9\/])*$ */
const dimension = fc
  .tuple(alnum, fc.array(fc.tuple(fc.constantFrom('', '-'), fc.constantFrom('a', '9', '/')), { maxLength: 10 }))
  .map(([first, rest]) => first + rest.map(([sep, c]) => sep + c).join(''));

/** A double that JSON keeps exactly (no -0, no non-finite). */
export const jsonDouble = fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => (Object.is(v, -0) ? 0 : v));
/** Epoch seconds, whole or with a fraction, 1970..2100. */
export const epochSeconds = fc.oneof(
  fc.integer({ min: 0, max: 4102444800 }),
  fc.double({ min: 0, max: 4102444800, noNaN: true }).map((v) => (Object.is(v, -0) ? 0 : v)),
);

const metric = (ts: fc.Arbitrary<number>) =>
  fc.record({ Dimension: dimension, MetricName: entityName(3), Value: jsonDouble, Timestamp: ts }, { requiredKeys: [] });

export function heartbeat(
  options: { timestamps?: fc.Arbitrary<number>; text?: fc.Arbitrary<string>; version?: fc.Arbitrary<string> } = {},
): fc.Arbitrary<SendHeartbeatRequest> {
  const ts = options.timestamps ?? epochSeconds;
  const text = options.text ?? awkwardText;
  const version = options.version ?? versionText;
  return fc.record(
    {
      AgentVersion: version,
      DeviceName: deviceName,
      DeviceFleetName: deviceName,
      AgentMetrics: fc.array(metric(ts), { maxLength: 3 }),
      Models: fc.array(
        fc.record(
          {
            ModelName: entityName(3),
            ModelVersion: version,
            LatestSampleTime: ts,
            LatestInference: ts,
            ModelMetrics: fc.array(metric(ts), { maxLength: 3 }),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 3 },
      ),
      DeploymentResult: fc.record(
        {
          DeploymentName: entityName(0),
          DeploymentStatus: entityName(0),
          DeploymentStatusMessage: text,
          DeploymentStartTime: ts,
          DeploymentEndTime: ts,
          DeploymentModels: fc.array(
            fc.record(
              {
                ModelHandle: entityName(0),
                ModelName: entityName(3),
                ModelVersion: version,
                DesiredState: fc.constantFrom('DEPLOY' as const, 'UNDEPLOY' as const),
                State: fc.constantFrom('DEPLOY' as const, 'UNDEPLOY' as const),
                Status: fc.constantFrom('SUCCESS' as const, 'FAIL' as const),
                StatusReason: text,
                RollbackFailureReason: text,
              },
              { requiredKeys: [] },
            ),
            { maxLength: 3 },
          ),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: ['AgentVersion', 'DeviceName', 'DeviceFleetName'] },
  );
}
