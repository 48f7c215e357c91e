import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateFiles } from '../../../scripts/model-files.ts';

describe('generated model files', () => {
  it('match what the generator derives from the reference model (run `npm run generate` after changing it)', () => {
    for (const [path, content] of Object.entries(generateFiles())) {
      expect(readFileSync(path, 'utf8'), path).toBe(content);
    }
  });
});
