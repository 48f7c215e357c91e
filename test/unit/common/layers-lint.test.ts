/** The layering allow-list (scripts/eslint-layers.mjs, docs/architecture.md#layers) refuses what each layer must not import. */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();
async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'layers/allowed-imports').map((m) => m.message);
}

describe('the layering allow-list', () => {
  it('refuses a package or folder a layer has not been given', async () => {
    expect(await problems('src/common/probe.ts', "import { Agent } from 'undici';\nexport const a = Agent;\n")).toEqual([
      expect.stringMatching(/src\/common \(runs anywhere\) may not import the package undici/),
    ]);
    expect(await problems('src/common/probe.ts', "import { join } from 'node:path';\nexport const j = join;\n")).toEqual([
      expect.stringMatching(/Node built-in node:path/),
    ]);
    expect(await problems('src/common/probe.ts', "export { x } from '../node/history/store.ts';\n")).toEqual([
      expect.stringMatching(/may not import src\/node\/history\/store.ts/),
    ]);
    expect(await problems('src/renderer/probe.ts', "export const m = () => import('node:fs');\n")).toHaveLength(1);
    expect(
      await problems(
        'src/renderer/probe.ts',
        "import { ref } from 'vue';\nimport { request } from 'undici';\nexport const r = [ref, request];\n",
      ),
    ).toEqual([expect.stringMatching(/renderer may not import the package undici/)]);
    expect(await problems('electron/preload.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n")).toEqual([
      expect.stringMatching(/sandboxed preload may not import the Node built-in/),
    ]);
    expect(await problems('src/node/probe.ts', "import { ref } from 'vue';\nexport const r = ref;\n")).toHaveLength(1);
  });

  it('accepts what a layer is given', async () => {
    expect(
      await problems(
        'src/common/probe.ts',
        "import { parse } from 'yaml';\nimport { LOG_VERSION } from './log/entry.ts';\nexport const p = [parse, LOG_VERSION];\n",
      ),
    ).toEqual([]);
    expect(
      await problems(
        'src/node/probe.ts',
        "import { Agent } from 'undici';\nimport { join } from 'node:path';\nimport { LOG_VERSION } from '../common/log/entry.ts';\nexport const a = [Agent, join, LOG_VERSION];\n",
      ),
    ).toEqual([]);
    expect(
      await problems(
        'electron/preload.ts',
        "import { contextBridge } from 'electron';\nimport { channelOf } from './channels.ts';\nexport const c = [contextBridge, channelOf];\n",
      ),
    ).toEqual([]);
  });
});
