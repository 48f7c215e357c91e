import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DueHeap } from '../../../src/node/fleet/due-heap.ts';

describe('DueHeap', () => {
  it('gives entries back earliest first, whatever the order of pushes and pops', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.constant('pop' as const)), { maxLength: 300 }), (ops) => {
        const heap = new DueHeap<{ at: number; n: number }>();
        const model: number[] = [];
        ops.forEach((op, n) => {
          if (op === 'pop') {
            model.sort((a, b) => a - b);
            expect(heap.pop()?.at).toBe(model.shift());
          } else {
            heap.push({ at: op, n });
            model.push(op);
          }
          expect(heap.size).toBe(model.length);
          expect(heap.peek()?.at).toBe(model.length ? Math.min(...model) : undefined);
        });
      }),
      { numRuns: 200 },
    );
  });
});
