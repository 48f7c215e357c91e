/**
 * HeartbeatApi's `environments`: the named environments of variables (docs/variables.md#environments), kept
 * as YAML in the configuration folder (`environments.yaml`, or $HEARTBEAT_ENVIRONMENTS), saved atomically.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { environmentsFile } from '../history/paths.ts';
import type { HeartbeatApi } from '../../common/api.ts';
import { parseEnvironments } from '../../common/variables/environments.ts';
import type { EnvironmentsFile } from '../../common/variables/types.ts';
import { HostError } from './host-error.ts';

async function read(path: string): Promise<EnvironmentsFile> {
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new HostError(
        `Cannot read the environments file ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
      );
  }
  return { path, text, ...parseEnvironments(text) };
}

export function createEnvironmentsService(path: string = environmentsFile()): { api: HeartbeatApi['environments'] } {
  return {
    api: {
      get: () => read(path),
      async save(text) {
        const parsed = parseEnvironments(text);
        const first = parsed.problems[0];
        if (first)
          throw new HostError(
            `The environments file is not saved: line ${first.line}, column ${first.column}: ${first.message}${parsed.problems.length > 1 ? ` (and ${parsed.problems.length - 1} more)` : ''}`,
          );
        await mkdir(dirname(path), { recursive: true });
        const temporary = `${path}.${process.pid}.tmp`;
        await writeFile(temporary, text, { mode: 0o600 });
        await rename(temporary, path);
        return { path, text, ...parsed };
      },
    },
  };
}
