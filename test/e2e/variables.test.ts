/**
 * Issue 19 item 5 in real Chromium against the real browser-mode host (docs/variables.md): the
 * environments written through "Edit environments…" (its line:column problems first), an environment
 * chosen from the keyboard and remembered over a reload, a request with {{device}}, {{fleet}} and
 * {{now}} checked without type errors and sent: the inspector shows the request as sent and what was
 * substituted, the composer still shows the placeholders, the embedded endpoint got the resolved
 * values; an unknown variable marked at its place and refused. Then the shared vectors
 * (test/fixtures/variables/cases.json) through the page, with the page's clock at each case's time:
 * the endpoint receives what the common resolver and the CLI give. Screenshots of the picker and the
 * dialog, light and dark, go to test-results/ (copied to docs/images/ by hand when the view changes).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { stringify } from 'yaml';
import { CHROMIUM, launchChromium, ROOT, startUiHost, watchPageErrors, type UiHost, callHost } from './harness.ts';
import { ensureUiBuilt } from './browser.ts';
import { replaceJson } from './measure-sync.ts';
import { VECTORS, type VectorCase } from '../unit/variables/vectors.ts';

const IMAGES = join(ROOT, 'test-results');

/**
 * The app has no overrides of its own: a case's --var values are laid over its environment (what
 * "an override beats the environment" means, which the unit and CLI tests check on their own).
 */
const pageEnvironment = (c: VectorCase, i: number): [string, Record<string, string>] => [
  `${c.environment?.name ?? 'vectors-none'}-${i}`,
  { ...c.environment?.variables, ...c.vars },
];
const ENVIRONMENTS = stringify({
  environments: {
    'e2e-demo': { device: 'sim-e2e-001', fleet: 'e2e-fleet' },
    'e2e-staging': { device: 'cam-e2e-stg', fleet: 'staging-fleet' },
    ...Object.fromEntries(VECTORS.map(pageEnvironment)),
  },
});

const TEMPLATE = JSON.stringify(
  {
    AgentVersion: '1.0',
    DeviceName: '{{device}}',
    DeviceFleetName: '{{fleet}}',
    AgentMetrics: [{ Dimension: '{{device}}', MetricName: 'temperature', Value: '{{random:20:30}}', Timestamp: '{{now}}' }],
  },
  null,
  2,
);

describe.skipIf(!existsSync(CHROMIUM))('variables in the composer', () => {
  let host: UiHost;
  let browser: Browser;

  /** Calls the host's API the way the page does, with the launch token. */
  const call = async <T>(page: Page, route: string, body: unknown): Promise<T> => (await callHost(page, host, route, body)).result as T;

  /** The body the embedded endpoint received for the inspector's latest exchange. */
  async function receivedBody(page: Page): Promise<string> {
    const id = (await page.locator('.inspector dt:text-is("Request id") + dd').innerText()).trim();
    const exchange = await call<{ request: { body: string } } | undefined>(page, '/api/endpoint/exchange', { id });
    expect(exchange, `the endpoint's exchange ${id}`).toBeDefined();
    return exchange!.request.body;
  }

  async function open(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    await page.goto(host.url);
    await expect.poll(() => page.getByTestId('connection').innerText(), { timeout: 15_000 }).toContain('Connected');
    return page;
  }

  beforeAll(async () => {
    ensureUiBuilt(240_000);
    mkdirSync(IMAGES, { recursive: true });
    host = await startUiHost();
    browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it(
    'edit the environments, choose one, send: resolved on the wire and in the inspector, placeholders kept in the composer',
    { timeout: 90_000 },
    async () => {
      const context = await browser.newContext({
        viewport: { width: 1440, height: 900 },
        colorScheme: 'light',
        permissions: ['clipboard-read', 'clipboard-write'],
      });
      const page = await open(context);
      const errors = watchPageErrors(page);
      const picker = page.getByLabel('Environment', { exact: true });
      const status = page.getByTestId('document-status');

      // The dialog: problems at line and column as typed (Save waits for a valid file), then saved through the host.
      await page.getByRole('button', { name: 'Edit environments…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Environments' });
      const yaml = dialog.getByLabel('environments.yaml');
      await expect.poll(() => yaml.evaluate((el) => el === document.activeElement)).toBe(true);
      await yaml.fill('environments:\n  e2e-demo:\n    now: 1\n');
      const problems = dialog.getByTestId('environments-problems');
      await expect.poll(() => problems.innerText()).toContain('Line 3, column 5: "now" is a built-in ({{now}}): choose another name');
      expect(await dialog.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
      await yaml.fill(ENVIRONMENTS);
      await expect.poll(() => problems.innerText()).toMatch(/^\d+ environments: e2e-demo, e2e-staging, /);
      await dialog.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => dialog.isVisible()).toBe(false);
      // The focus is back on the button that opened the dialog.
      expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Edit environments…');

      // Chosen from the keyboard.
      await picker.focus();
      await picker.selectOption('e2e-demo');
      expect(await picker.inputValue()).toBe('e2e-demo');

      // "{{now}}" and "{{random:…}}" where numbers are expected are no type errors.
      await replaceJson(page, TEMPLATE);
      await expect.poll(() => status.innerText()).toMatch(/^Valid( SendHeartbeat)? request$/);

      const before = Math.floor(Date.now() / 1000);
      await page.keyboard.press('ControlOrMeta+Enter');
      const substitutions = page.getByTestId('substitutions');
      await expect.poll(() => substitutions.isVisible(), { timeout: 15_000 }).toBe(true);
      const listed = await substitutions.innerText();
      expect(listed).toContain('{{device}} = sim-e2e-001');
      expect(listed).toContain('{{fleet}} = e2e-fleet');
      expect(listed).toMatch(/\{\{now\}\} = \d{10}/);
      expect(listed).toMatch(/\{\{random:20:30\}\} = (2\d|30)\b/);

      // The inspector's request is the request as sent.
      await page.locator('.inspector summary', { hasText: /^Request$/ }).click();
      const shownBody = await page.getByLabel('Request body').innerText();
      expect(shownBody).toContain('"DeviceName": "sim-e2e-001"');
      expect(shownBody).not.toContain('{{');

      // The endpoint got the resolved values.
      const received = JSON.parse(await receivedBody(page)) as {
        DeviceName: string;
        DeviceFleetName: string;
        AgentMetrics: Array<{ Dimension: string; Value: number; Timestamp: number }>;
      };
      expect(received).toMatchObject({
        DeviceName: 'sim-e2e-001',
        DeviceFleetName: 'e2e-fleet',
        AgentMetrics: [{ Dimension: 'sim-e2e-001' }],
      });
      expect(received.AgentMetrics[0]!.Timestamp).toBeGreaterThanOrEqual(before);
      expect(received.AgentMetrics[0]!.Timestamp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
      expect(shownBody.replace(/\s+/g, '')).toBe(JSON.stringify(received));

      // The composer still holds the placeholders.
      expect(await page.getByLabel('DeviceName', { exact: true }).inputValue()).toBe('{{device}}');
      expect(await page.locator('.monaco-editor .view-lines').innerText()).toContain('"{{now}}"');

      // An unknown variable: marked at its field and in the JSON view, and refused with a sentence naming it.
      await page.getByLabel('DeviceFleetName', { exact: true }).fill('{{region}}-fleet');
      await expect.poll(() => status.innerText()).toBe('1 problem');
      expect(await page.locator('.field.invalid').innerText()).toContain(
        '{{region}} is not defined: the environment "e2e-demo" has device, fleet;',
      );
      await expect.poll(() => page.locator('.monaco-editor .squiggly-error').count()).toBe(1);
      await page.keyboard.press('ControlOrMeta+Enter');
      await expect
        .poll(() => page.getByTestId('inspector-status').innerText())
        .toContain('Not sent: {{region}} is not defined: the environment "e2e-demo" has device, fleet;');

      // Screenshots for docs/variables.md: the picker and the dialog, light and dark.
      await page.getByLabel('DeviceFleetName', { exact: true }).fill('{{fleet}}');
      for (const theme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: theme });
        await page.waitForTimeout(300);
        await page.locator('.composer').screenshot({ path: join(IMAGES, `variables-picker-${theme}.png`) });
        await page.getByRole('button', { name: 'Edit environments…' }).click();
        await expect.poll(() => dialog.isVisible()).toBe(true);
        await dialog
          .getByLabel('environments.yaml')
          .fill(
            'environments:\n  demo:\n    device: sim-001\n    fleet: demo-fleet\n  staging:\n    device: cam-staging-01\n    fleet id: staging-fleet\n',
          );
        await expect
          .poll(() => dialog.getByTestId('environments-problems').innerText())
          .toContain('Line 7, column 5: "fleet id" is not a variable name');
        await dialog.screenshot({ path: join(IMAGES, `variables-dialog-${theme}.png`) });
        await page.keyboard.press('Escape');
        await expect.poll(() => dialog.isVisible()).toBe(false);
      }
      await page.emulateMedia({ colorScheme: 'light' });

      // `{{` in the JSON view lists the environment's variables and the built-ins.
      await replaceJson(page, '{"DeviceName": "x"}');
      await page.keyboard.press('ControlOrMeta+End');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.type('-{{');
      const suggestions = page.locator('.monaco-editor .suggest-widget');
      await expect.poll(() => suggestions.innerText()).toContain('{{device}}');
      expect(await suggestions.innerText()).toContain('{{now:iso}}');
      await page.keyboard.type('dev');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('.monaco-editor .view-lines').innerText()).toContain('"x-{{device}}"');

      // Remembered over a reload.
      await page.reload();
      await expect.poll(() => page.getByTestId('connection').innerText(), { timeout: 15_000 }).toContain('Connected');
      await expect.poll(() => picker.inputValue()).toBe('e2e-demo');
      errors.expectNone();
      await context.close();
    },
  );

  it('the shared vectors: the endpoint receives what the common resolver and the CLI give', async () => {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    let page = await open(context);
    // The same file as the first test saves through the dialog, here through the API: this test stands alone.
    await call(page, '/api/environments/save', { text: ENVIRONMENTS });
    await page.close();
    page = await open(context);
    const errors = watchPageErrors(page);
    const picker = page.getByLabel('Environment', { exact: true });
    await expect.poll(() => picker.locator('option').count()).toBeGreaterThan(VECTORS.length);
    for (const [i, c] of VECTORS.entries()) {
      await page.clock.setFixedTime(new Date(c.now * 1000));
      await page.getByLabel('Operation', { exact: true }).selectOption(c.operation);
      await picker.selectOption(pageEnvironment(c, i)[0]);
      await replaceJson(page, c.template);
      await page.keyboard.press('ControlOrMeta+Enter');
      if (c.problems) {
        for (const placeholder of c.problems)
          await expect
            .poll(() => page.getByTestId('inspector-status').innerText(), { message: c.name })
            .toContain(`Not sent: ${placeholder}`);
        continue;
      }
      await expect
        .poll(() => page.getByTestId('substitutions').innerText(), { timeout: 15_000, message: c.name })
        .toContain(`${c.substitutions!.at(-1)!.placeholder} = `);
      const body = await receivedBody(page);
      // {{uuid}} and {{random}} come from the page's own generator: the same text, with a UUID or a number in their places.
      const random = c.substitutions!.filter((s) => /^\{\{(uuid|random)/.test(s.placeholder));
      if (random.length === 0) expect(body, c.name).toBe(c.expected);
      else {
        // Walks the expected text from substitution to substitution (they are in text order), a pattern in place of each random value.
        const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        let pattern = '';
        let at = 0;
        for (const s of c.substitutions!) {
          const found = c.expected!.indexOf(s.value, at);
          const end = found + s.value.length;
          if (!random.includes(s)) pattern += escape(c.expected!.slice(at, end));
          else
            pattern +=
              escape(c.expected!.slice(at, found)) +
              (s.placeholder.startsWith('{{uuid') ? '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}' : '-?\\d+');
          at = end;
        }
        pattern += escape(c.expected!.slice(at));
        expect(body, `${c.name}: ${JSON.stringify(body)}`).toMatch(new RegExp(`^${pattern}$`));
      }
    }
    errors.expectNone();
    await context.close();
  });
});
