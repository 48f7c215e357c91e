/**
 * Validation throughput: our generated Ajv standalone validator next to a peer in the same run —
 * Ajv compiling the same schema at run time (the usual way to use Ajv) — for a typical heartbeat
 * and a 1,000-model one, plus text checking (parse with positions + validate) of a 10 MB payload
 * next to JSON.parse of the same text.
 */
import Ajv from 'ajv';
import { requestSchema } from '../src/common/model/index.ts';
import { validate } from '../src/common/validation/validate.ts';
import { checkText } from '../src/common/validation/check-text.ts';

const typical = {
  AgentVersion: '1.2.3',
  DeviceName: 'camera-017',
  DeviceFleetName: 'warehouse-east',
  AgentMetrics: [{ Dimension: 'agent', MetricName: 'cpu-utilization', Value: 12.5, Timestamp: 1_763_797_703 }],
  Models: [
    {
      ModelName: 'resnet-50',
      ModelVersion: '3',
      LatestSampleTime: 1_763_797_700,
      LatestInference: 1_763_797_701,
      ModelMetrics: [{ Dimension: 'model', MetricName: 'latency-ms', Value: 8.1, Timestamp: 1_763_797_702 }],
    },
  ],
};
const large = { ...typical, Models: Array.from({ length: 1000 }, (_, i) => ({ ...typical.Models[0], ModelName: `model-${i}` })) };

/** Calls per second of fn, measured for about `ms` milliseconds after a warm-up. */
function rate(fn: () => unknown, ms = 1500): number {
  for (let i = 0; i < 1000; i++) fn();
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 1000; i++) fn();
    calls += 1000;
    elapsed = performance.now() - start;
  }
  return (calls / elapsed) * 1000;
}

function timeOnce(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** Goals from issue 2: ≥ 1M typical payloads/s; a 10 MB payload's text checked in well under a second. */
const TYPICAL_GOAL = 1_000_000;
const BIG_GOAL_MS = 1000;

export async function run(): Promise<void> {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const peer = ajv.compile(requestSchema('SendHeartbeat'));
  if (!validate(typical).valid || !peer(typical)) throw new Error('The bench payload must be valid.');

  for (const [name, doc, ms] of [
    ['typical payload', typical, 1500],
    ['1,000-model payload', large, 1500],
  ] as const) {
    const ours = rate(() => validate(doc), ms);
    const theirs = rate(() => peer(doc), ms);
    const goal = doc === typical ? ` (goal ≥ ${fmt(TYPICAL_GOAL)} payloads/s: ${ours >= TYPICAL_GOAL ? 'met' : 'missed'})` : '';
    console.log(
      `validate ${name}: ${fmt(ours)} payloads/s${goal}; Ajv compiled at run time: ${fmt(theirs)} payloads/s; ratio ${(ours / theirs).toFixed(2)}`,
    );
  }
  const invalid = { ...typical, DeviceName: 'not valid!', Models: [{ ModelNmae: 'x' }] };
  console.log(`validate invalid typical payload (errors described): ${fmt(rate(() => validate(invalid)))} payloads/s`);

  // ~10 MB: the "a 10 MB payload (validated in well under a second)".
  const big = JSON.stringify({
    ...typical,
    Models: Array.from({ length: 49_000 }, (_, i) => ({ ...typical.Models[0], ModelName: `model-${i}` })),
  });
  if (!checkText(big).valid) throw new Error('The 10 MB bench payload must be valid.');
  const best = (fn: () => unknown) => Math.min(...[0, 1, 2].map(() => timeOnce(fn)));
  const oursMs = best(() => checkText(big));
  const parseMs = best(() => JSON.parse(big));
  const nativeMs = best(() => validate(JSON.parse(big)));
  const mb = (big.length / 1e6).toFixed(1);
  console.log(
    `check ${mb} MB payload text (parse with positions + validate): ${oursMs.toFixed(0)} ms (goal < ${BIG_GOAL_MS} ms: ${oursMs < BIG_GOAL_MS ? 'met' : 'missed'}); plain JSON.parse: ${parseMs.toFixed(0)} ms; JSON.parse + validate: ${nativeMs.toFixed(0)} ms; ratio to JSON.parse + validate ${(oursMs / nativeMs).toFixed(2)}`,
  );
}
