/** An item's result against its recorded outcome and a run's expectation (src/common/capture/compare.ts). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Expectation, ObservedOutcome } from '../../../src/common/capture/api-types.ts';
import {
  compareWithRecorded,
  describeExpectation,
  describeOutcome,
  judge,
  meetsExpectation,
  observedOutcome,
  parseExpectation,
} from '../../../src/common/capture/compare.ts';

const outcomeArb: fc.Arbitrary<ObservedOutcome> = fc.record(
  {
    kind: fc.constantFrom('success', 'service-error', 'transport-error', 'cancelled'),
    status: fc.constantFrom(200, 204, 400, 403, 429, 500),
    errorType: fc.constantFrom('ValidationException', 'ThrottlingException', 'InternalServiceException', 'refused', 'timeout'),
    message: fc.string({ maxLength: 200 }),
  },
  { requiredKeys: ['kind'] },
);

describe('observedOutcome', () => {
  it('maps every engine outcome to the fields a capture records', () => {
    expect(observedOutcome({ kind: 'success', status: 200, headers: {}, body: '' })).toEqual({ kind: 'success', status: 200 });
    expect(
      observedOutcome({
        kind: 'service-error',
        status: 400,
        errorType: 'ValidationException',
        message: 'bad',
        retried: false,
        requestId: 'r',
        headers: {},
        body: '{}',
      }),
    ).toEqual({ kind: 'service-error', status: 400, errorType: 'ValidationException', message: 'bad' });
    expect(observedOutcome({ kind: 'transport-error', code: 'refused', message: 'no', retried: true })).toEqual({
      kind: 'transport-error',
      errorType: 'refused',
      message: 'no',
    });
    expect(observedOutcome({ kind: 'cancelled', message: 'The send was cancelled.' })).toEqual({
      kind: 'cancelled',
      message: 'The send was cancelled.',
    });
  });
});

describe('compareWithRecorded', () => {
  it('says what changed in short sentences', () => {
    expect(compareWithRecorded({ kind: 'success', status: 200 }, { kind: 'success', status: 200 })).toEqual({ same: true, changes: [] });
    expect(
      compareWithRecorded(
        { kind: 'success', status: 200 },
        { kind: 'service-error', status: 400, errorType: 'ValidationException', message: 'm' },
      ).changes,
    ).toEqual(['status 200 → 400', 'error type none → ValidationException']);
    expect(
      compareWithRecorded(
        { kind: 'success', status: 200 },
        { kind: 'transport-error', errorType: 'refused', message: 'connect ECONNREFUSED' },
      ).changes,
    ).toEqual(['status 200 → none', 'error type none → refused']);
    expect(
      compareWithRecorded({ kind: 'transport-error', errorType: 'timeout' }, { kind: 'cancelled', errorType: 'timeout' }).changes,
    ).toEqual(['transport error → cancelled']);
  });

  it('compares the messages of validation errors only', () => {
    const recorded = {
      kind: 'service-error',
      status: 400,
      errorType: 'ValidationException',
      message: "1 validation error detected: Value 'x' at 'deviceName' failed to satisfy constraint",
    } as const;
    expect(compareWithRecorded(recorded, { ...recorded, message: recorded.message.replace(' at', '\n  at') }).same).toBe(true);
    const changed = compareWithRecorded(recorded, { ...recorded, message: "1 validation error detected: Value 'y' at 'deviceName'" });
    expect(changed.same).toBe(false);
    expect(changed.changes).toEqual([
      "message “1 validation error detected: Value 'x' at 'deviceName' failed to satisfy constra…” → “1 validation error detected: Value 'y' at 'deviceName'”",
    ]);
    const fault = { kind: 'service-error', status: 500, errorType: 'InternalServiceException', message: 'request 1 failed' } as const;
    expect(compareWithRecorded(fault, { ...fault, message: 'request 2 failed' }).same).toBe(true);
    // A capture that did not keep the error type or the message compares without them.
    expect(compareWithRecorded({ kind: 'transport-error' }, { kind: 'transport-error', errorType: 'refused', message: 'm' }).same).toBe(
      true,
    );
    expect(compareWithRecorded({ kind: 'service-error', status: 500 }, fault).same).toBe(true);
    expect(
      compareWithRecorded({ kind: 'transport-error', errorType: 'timeout' }, { kind: 'transport-error', errorType: 'refused' }).changes,
    ).toEqual(['error type timeout → refused']);
    expect(compareWithRecorded({ kind: 'service-error', status: 400, errorType: 'ValidationException' }, recorded).same).toBe(true);
  });

  it('quotes long messages cut around where they start to differ', () => {
    const base = 'a'.repeat(150);
    const { changes } = compareWithRecorded(
      { kind: 'service-error', status: 400, errorType: 'ValidationException', message: `${base} one tail` },
      { kind: 'service-error', status: 400, errorType: 'ValidationException', message: `${base} two tail` },
    );
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatch(/^message “…a+ one tail” → “…a+ two tail”$/);
    expect(changes[0]!.length).toBeLessThan(200);
  });

  it('is reflexive', () => {
    fc.assert(fc.property(outcomeArb, (o) => compareWithRecorded(o, { ...o }).same));
  });

  it('reports a change of any field it compares', () => {
    fc.assert(
      fc.property(outcomeArb, outcomeArb, (a, b) => {
        const { same, changes } = compareWithRecorded(a, b);
        expect(same).toBe(changes.length === 0);
        const differs =
          a.kind !== b.kind ||
          a.status !== b.status ||
          (a.errorType !== b.errorType && a.errorType !== undefined) ||
          (a.message !== undefined &&
            b.message !== undefined &&
            (a.errorType === 'ValidationException' || a.status === 400) &&
            (b.errorType === 'ValidationException' || b.status === 400) &&
            a.message.replace(/\s+/g, ' ').trim() !== b.message.replace(/\s+/g, ' ').trim());
        expect(same).toBe(!differs);
        if (a.status !== b.status) expect(changes.some((c) => c.startsWith('status '))).toBe(true);
        if (a.errorType !== b.errorType && (a.errorType !== undefined || a.kind !== b.kind))
          expect(changes.some((c) => c.startsWith('error type '))).toBe(true);
      }),
    );
  });

  it('is symmetric in whether two outcomes are the same, when both hold every field', () => {
    const whole = fc.record({
      kind: fc.constantFrom('success', 'service-error', 'transport-error', 'cancelled'),
      status: fc.constantFrom(200, 400, 500),
      errorType: fc.constantFrom('ValidationException', 'refused'),
      message: fc.constantFrom('a', 'b'),
    });
    fc.assert(fc.property(whole, whole, (a, b) => compareWithRecorded(a, b).same === compareWithRecorded(b, a).same));
  });
});

describe('expectations', () => {
  const ok: ObservedOutcome = { kind: 'success', status: 200 };
  const invalid: ObservedOutcome = { kind: 'service-error', status: 400, errorType: 'ValidationException', message: 'm' };
  const refused: ObservedOutcome = { kind: 'transport-error', errorType: 'refused', message: 'm' };

  it('recorded: the same as recorded; an item without a recorded outcome passes (not comparable)', () => {
    expect(meetsExpectation('recorded', invalid, invalid)).toBe(true);
    expect(meetsExpectation('recorded', ok, invalid)).toBe(false);
    expect(meetsExpectation('recorded', refused)).toBe(true);
  });

  it('2xx and a status', () => {
    expect(meetsExpectation('2xx', ok)).toBe(true);
    expect(meetsExpectation('2xx', { kind: 'success', status: 299 })).toBe(true);
    expect(meetsExpectation('2xx', invalid)).toBe(false);
    expect(meetsExpectation('2xx', refused)).toBe(false);
    expect(meetsExpectation(400, invalid)).toBe(true);
    expect(meetsExpectation(400, ok)).toBe(false);
  });

  it('judge: comparison when recorded, passed when expected', () => {
    expect(judge(ok, undefined, undefined)).toEqual({});
    expect(judge(ok, undefined, 'recorded')).toEqual({ passed: true });
    expect(judge(ok, invalid, undefined)).toEqual({ comparison: { same: false, changes: expect.any(Array) } });
    expect(judge(ok, invalid, '2xx')).toMatchObject({ comparison: { same: false }, passed: true });
    expect(judge(ok, invalid, 'recorded')).toMatchObject({ comparison: { same: false }, passed: false });
    fc.assert(
      fc.property(
        outcomeArb,
        fc.option(outcomeArb, { nil: undefined }),
        fc.constantFrom<Expectation>('recorded', '2xx', 200, 400),
        (o, r, e) => {
          expect(judge(o, r, e).passed).toBe(meetsExpectation(e, o, r));
        },
      ),
    );
  });

  it('parses and describes', () => {
    expect(parseExpectation('recorded')).toBe('recorded');
    expect(parseExpectation(' 2XX ')).toBe('2xx');
    expect(parseExpectation('404')).toBe(404);
    for (const bad of ['', '4xx', '99', '600', '20', '2000', 'ok']) expect(parseExpectation(bad)).toBeUndefined();
    expect(describeExpectation('recorded')).toBe('the recorded outcome');
    expect(describeExpectation(404)).toBe('status 404');
    expect(describeOutcome(invalid)).toBe('400 ValidationException');
    expect(describeOutcome(refused)).toBe('transport error refused');
    expect(describeOutcome(ok)).toBe('200');
  });
});
