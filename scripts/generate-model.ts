import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { generateFiles } from './model-files.ts';

for (const [path, content] of Object.entries(generateFiles())) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  console.log(`wrote ${path}`);
}
