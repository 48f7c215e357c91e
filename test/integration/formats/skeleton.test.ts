import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { awsSkeleton, emitAwsSkeleton, exampleRequest } from '../../../src/common/formats/skeleton.ts';
import { OPERATIONS, requestSchema, type SchemaNode } from '../../../src/common/model/index.ts';
import { validate } from '../../../src/common/validation/validate.ts';
import { cliCommandName } from '../../../src/common/formats/target.ts';

/** Every member pointer the schema defines (lists through their first item). */
function memberPaths(schema: SchemaNode, prefix = ''): string[] {
  if (schema.type === 'object')
    return Object.entries(schema.properties ?? {}).flatMap(([k, s]) => [`${prefix}/${k}`, ...memberPaths(s, `${prefix}/${k}`)]);
  if (schema.type === 'array' && schema.items) return memberPaths(schema.items, `${prefix}/0`);
  return [];
}

function docPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => docPaths(v, `${prefix}/${i}`));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => [`${prefix}/${k}`, ...docPaths(v, `${prefix}/${k}`)]);
  return [];
}

describe('skeletons', () => {
  for (const op of OPERATIONS) {
    it(`${op}: the example request is valid and has every member of the model`, () => {
      const doc = exampleRequest(op);
      expect(validate(doc, op)).toEqual({ valid: true, errors: [] });
      expect(docPaths(doc).sort()).toEqual(memberPaths(requestSchema(op)).sort());
    });

    it(`${op}: the AWS-style skeleton has every member with placeholder values`, () => {
      const doc = awsSkeleton(op);
      expect(docPaths(doc).sort()).toEqual(memberPaths(requestSchema(op)).sort());
      expect(JSON.stringify(doc)).not.toMatch(/"string"/);
    });
  }

  const hasAws = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;
  it.skipIf(!hasAws)('matches "aws sagemaker-edge ... --generate-cli-skeleton input" (skipped: "aws" is not installed)', () => {
    for (const op of OPERATIONS) {
      const run = spawnSync('aws', ['sagemaker-edge', cliCommandName(op), '--generate-cli-skeleton', 'input', '--region', 'us-east-1'], {
        encoding: 'utf8',
        env: { ...process.env, AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' },
      });
      expect(run.status, run.stderr).toBe(0);
      // The AWS CLI picks enum placeholders in no documented order: compare with enums blanked.
      const blank = (text: string) => text.replace(/"(DEPLOY|UNDEPLOY|SUCCESS|FAIL)"/g, '"ENUM"');
      expect(blank(emitAwsSkeleton(op))).toBe(blank(run.stdout));
    }
  });
});
