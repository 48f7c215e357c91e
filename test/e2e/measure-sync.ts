/**
 * Form ⇄ JSON sync time with a 1,000-model payload, measured in a real Chromium page of the composer:
 * shared by the end-to-end test (a generous bound) and `npm run bench ui` (the 50 ms goal).
 */
import type { Page } from 'playwright-core';

export function thousandModels(): string {
  const now = 1763796503;
  const models = Array.from({ length: 1000 }, (_, i) => ({
    ModelName: `model-${String(i).padStart(4, '0')}`,
    ModelVersion: '1.0',
    LatestSampleTime: now,
    LatestInference: now,
    ModelMetrics: [{ Dimension: 'model', MetricName: 'latency', Value: i, Timestamp: now }],
  }));
  return JSON.stringify({ DeviceName: 'big-device', AgentVersion: '1.0', DeviceFleetName: 'fleet-a', Models: models }, null, 2);
}

/** Replaces the whole JSON text by select-all and paste, as a person would. */
export async function replaceJson(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('ControlOrMeta+V');
}

/**
 * With the 1,000-model document loaded and DeviceName "big-device…" in view: milliseconds from an input
 * event in the form until Monaco shows it, and from a key press in Monaco until the form shows it.
 * `suffix` makes each round's value new.
 */
export async function measureSync(page: Page, suffix: string): Promise<{ formToJson: number; jsonToForm: number }> {
  const value = `big-device-${suffix}`;
  const formToJson = await page.evaluate(async (v) => {
    const input = document.querySelector<HTMLInputElement>('#f-DeviceName')!;
    const start = performance.now();
    input.value = v;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    for (let i = 0; i < 600; i++) {
      await new Promise(requestAnimationFrame);
      if (Array.from(document.querySelectorAll('.monaco-editor .view-line')).some((l) => l.textContent?.includes(`"${v}"`)))
        return performance.now() - start;
    }
    return Infinity;
  }, value);

  await page.locator('.monaco-editor .view-line').filter({ hasText: value }).click();
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  const watching = page.evaluate(async (v) => {
    const input = document.querySelector<HTMLInputElement>('#f-DeviceName')!;
    let keyAt: number | undefined;
    document.addEventListener('keydown', () => (keyAt ??= performance.now()), { capture: true, once: true });
    for (let i = 0; i < 600; i++) {
      await new Promise(requestAnimationFrame);
      if (input.value === `${v}x` && keyAt !== undefined) return performance.now() - keyAt;
    }
    return Infinity;
  }, value);
  await page.waitForTimeout(50); // the listener is in place
  await page.keyboard.type('x');
  return { formToJson, jsonToForm: await watching };
}
