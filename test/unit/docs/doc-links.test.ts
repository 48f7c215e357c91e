/** Every `docs/NAME.md#anchor` the code and docs cite names a document of the repository and one of its headings. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');

function files(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'fixtures' || name === 'generated') return [];
    return statSync(join(root, path)).isDirectory() ? files(path) : /\.(ts|vue|mjs|md)$/.test(name) ? [path] : [];
  });
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} -]/gu, '')
    .replace(/ /g, '-');

it('cites only documents and headings that exist', () => {
  const cited = new Map<string, string[]>();
  for (const file of [...files('src'), ...files('electron'), ...files('docs'), ...files('test'), ...files('bench'), 'README.md']) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const m of text.matchAll(/docs\/([a-z-]+\.md)(#[a-z0-9-]+)?/g))
      (cited.get(`${m[1]}${m[2] ?? ''}`) ?? cited.set(`${m[1]}${m[2] ?? ''}`, []).get(`${m[1]}${m[2] ?? ''}`)!).push(file);
  }
  expect(cited.size).toBeGreaterThan(5);
  const broken: string[] = [];
  for (const [target, from] of cited) {
    const [doc, anchor] = target.split('#') as [string, string | undefined];
    let text: string;
    try {
      text = readFileSync(join(root, 'docs', doc), 'utf8');
    } catch {
      broken.push(`${target} (cited in ${from[0]}): no such document`);
      continue;
    }
    const anchors = [...text.matchAll(/^#+ (.+)$/gm)].map((h) => slug(h[1]!));
    if (anchor && !anchors.includes(anchor)) broken.push(`${target} (cited in ${from[0]}): no such heading`);
  }
  expect(broken).toEqual([]);
});

it('the code cites no design document outside the repository', () => {
  const outside = [...files('src'), ...files('electron')].filter((f) =>
    /DESIGN §|shared\/DESIGN/.test(readFileSync(join(root, f), 'utf8')),
  );
  expect(outside).toEqual([]);
});
