/**
 * `npm run bench [SECTION...]`: runs every bench/*.bench.ts section (or the named ones) in order.
 * Each section measures our code next to a peer in the same run and prints ratios, never absolutes
 * alone, because the machine's speed varies between runs.
 */
import { readdirSync } from 'node:fs';

const wanted = process.argv.slice(2);
const dir = new URL('.', import.meta.url);
const sections = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort()
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace('.bench.ts', '')));

for (const file of sections) {
  console.log(`\n## ${file.replace('.bench.ts', '')}`);
  const section = (await import(new URL(file, dir).href)) as { run(): Promise<void> };
  await section.run();
}
