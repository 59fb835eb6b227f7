/**
 * The live console in a real browser: Debian's Chromium, headless, driven by playwright-core.
 * Functions are made and invoked through the AWS SDK while the page stays open; the page must
 * follow them live (no reload), plot latencies, and redrive a dead letter with its button.
 * Set SAVE_CONSOLE_SCREENSHOT=docs/console.png to refresh the screenshot the docs show.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  CreateAliasCommand,
  InvokeCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  PutFunctionEventInvokeConfigCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { chromium, type Browser, type Page } from 'playwright-core';
import { requirePrerequisite } from '../helpers/prerequisite.ts';
import { removeDataDir, startFlintProcess, type FlintProcess } from '../helpers/flint-process.ts';
import { asyncStats, deployHandler, eventually, FAST_ASYNC_FLAGS, logMessages } from './async-support.ts';
import { deploy, invoke } from './invoke-support.ts';

const CHROMIUM = '/usr/bin/chromium';

// What the functions run in the page use of the DOM (this project type-checks without the DOM library).
declare const document: { querySelector(selector: string): { readonly textContent: string | null } | null };
interface Canvas {
  readonly width: number;
  readonly height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { readonly data: Uint8ClampedArray } } | null;
}
const ROOT = resolve(import.meta.dirname, '..', '..');

describe('console', { skip: requirePrerequisite('chromium', existsSync(CHROMIUM), `the Debian package chromium (${CHROMIUM}); scripts/setup.sh installs it`) }, () => {
  let flint: FlintProcess;
  let client: LambdaClient;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];
  const shots = mkdtempSync(join(tmpdir(), 'flint-console-'));

  before(async () => {
    flint = await startFlintProcess({ args: FAST_ASYNC_FLAGS });
    client = flint.client();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (err) => consoleErrors.push(`page error: ${err.message}`));
    page.on('requestfailed', (r) => {
      // the event stream is cut when the page or server goes; anything else failing is a bug
      if (!r.url().endsWith('/console/events')) consoleErrors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
    });
  });
  after(async () => {
    await browser?.close();
    await flint?.stop();
    if (flint) removeDataDir(flint.dataDir);
    rmSync(shots, { recursive: true, force: true });
  });

  let name: string;

  it('loads with no console errors and shows a function created through the SDK, with its versions, alias and concurrency', async () => {
    name = (await deploy(client, [{ name: 'index.js', content: "exports.handler = async (e) => { console.log('hello from the console test', e.n); return { n: e.n }; };" }])).name;
    await client.send(new PublishVersionCommand({ FunctionName: name }));
    await client.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1' }));
    await client.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 5 }));
    await page.goto(`${flint.endpoint}/console`);
    const row = page.locator(`tr[data-function="${name}"]`);
    await row.waitFor({ timeout: 15_000 });
    const text = await row.innerText();
    assert.match(text, /nodejs22\.x/);
    assert.match(text, /live → 1/, 'the alias and its version');
    assert.match(text, /\t1\t/, 'published version 1');
    assert.match(text, /\t5\t/, 'reserved concurrency 5');
    await page.locator('[data-live="on"]').waitFor({ timeout: 10_000 });
    assert.equal(await page.locator(`[data-sandboxes="${name}"]`).innerText(), '0', 'not invoked yet: no sandbox');
    assert.deepEqual(consoleErrors, []);
  });

  it('shows the sandbox count change live when the function is invoked, with no reload', async () => {
    await page.evaluate(() => ((globalThis as { stillTheSamePage?: boolean }).stillTheSamePage = true));
    const idleBefore = Number(await page.locator('[data-host-count="idle"]').first().innerText());
    await invoke(client, name, { n: 1 });
    await page.waitForFunction((fn) => document.querySelector(`[data-sandboxes="${fn}"]`)?.textContent === '1', name, { timeout: 10_000 });
    await page.waitForFunction((n) => Number(document.querySelector('[data-host-count="idle"]')?.textContent) > n, idleBefore, { timeout: 10_000 });
    assert.equal(await page.evaluate(() => (globalThis as { stillTheSamePage?: boolean }).stillTheSamePage), true, 'the page was not reloaded');
    assert.deepEqual(consoleErrors, []);
  });

  it('plots warm and cold latencies and counts the invocations after invokes', async () => {
    for (let n = 2; n <= 30; n++) await invoke(client, name, { n });
    await page.waitForFunction(() => Number(document.querySelector('[data-figure="invocations"]')?.textContent) >= 30, undefined, { timeout: 10_000 });
    for (const plot of ['activity', 'warm-latency', 'cold-latency']) {
      const canvas = page.locator(`[data-plot="${plot}"] .uplot canvas`);
      const box = await canvas.boundingBox();
      assert.ok(box && box.width > 100 && box.height > 50, `${plot}: a uPlot canvas with a size (${JSON.stringify(box)})`);
    }
    // Bars were drawn: the warm plot's canvas holds coloured pixels (an empty plot has axes and grid only, in grey).
    const coloured = await page.locator('[data-plot="warm-latency"] canvas').evaluate((c: Canvas) => {
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 0 && Math.abs(data[i]! - data[i + 1]!) + Math.abs(data[i + 1]! - data[i + 2]!) > 60) n++;
      return n;
    });
    assert.ok(coloured > 50, `the warm latency bars are drawn (${coloured} coloured pixels)`);
    assert.deepEqual(consoleErrors, []);
  });

  it("follows the function's log tail", async () => {
    await page.locator(`tr[data-function="${name}"] button.link`).click();
    await page.waitForFunction((fn) => document.querySelector(`[data-logs="${fn}"]`)?.textContent?.includes('hello from the console test 30'), name, { timeout: 10_000 });
    await invoke(client, name, { n: 31 });
    await page.waitForFunction((fn) => document.querySelector(`[data-logs="${fn}"]`)?.textContent?.includes('hello from the console test 31'), name, { timeout: 10_000 });
    assert.deepEqual(consoleErrors, []);
  });

  it('redrives a dead letter with its button, and the event then runs', async () => {
    const failing = await deployHandler(client, "exports.handler = async (e) => { if (process.env.FAIL === '1') throw new Error('failing on purpose'); console.log('REDRIVEN ' + e.mark); return 1; };");
    await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: failing, Environment: { Variables: { FAIL: '1' } } }));
    await waitUntilFunctionUpdatedV2({ client, maxWaitTime: 20, minDelay: 1 }, { FunctionName: failing });
    await client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: failing, MaximumRetryAttempts: 0 }));
    await client.send(new InvokeCommand({ FunctionName: failing, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ mark: 'm-1' })) }));
    const letter = page.locator('tr[data-letter]', { hasText: failing });
    await letter.waitFor({ timeout: 30_000 });
    await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: failing, Environment: { Variables: { FAIL: '0' } } }));
    await waitUntilFunctionUpdatedV2({ client, maxWaitTime: 20, minDelay: 1 }, { FunctionName: failing });
    await page.screenshot({ path: join(shots, 'console.png'), fullPage: true });
    await letter.locator('button[data-redrive]').click();
    await page.locator('[data-notice]', { hasText: 'is back in the queue' }).waitFor({ timeout: 10_000 });
    await letter.waitFor({ state: 'detached', timeout: 30_000 });
    await eventually(async () => ((await logMessages(flint.dataDir, failing)).some((m) => m.includes('REDRIVEN m-1')) ? true : undefined), 'the redriven event running');
    assert.equal((await asyncStats(flint.endpoint)).deadLetters, 0);
    assert.deepEqual(consoleErrors, []);
  });

  it('saves a screenshot of the page', async () => {
    const shot = join(shots, 'console.png');
    assert.ok(statSync(shot).size > 10_000, 'a screenshot with content');
    const target = process.env.SAVE_CONSOLE_SCREENSHOT;
    if (target) copyFileSync(shot, resolve(ROOT, target));
  });

  it('lets Flint stop promptly with the page and its event stream still open', async () => {
    await flint.stop();
    assert.doesNotMatch(flint.logs(), /stopping sandboxes of invocations still in flight/, 'the open event stream did not hold the shutdown up to its grace period');
    // What a stopping server does to a page's requests: refused once it stops listening, a stream cut
    // short, or a reset when a keep-alive connection is closed as idle just as the page reuses it.
    assert.deepEqual(consoleErrors.filter((e) => !/ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|ERR_INCOMPLETE_CHUNKED_ENCODING/.test(e)), []);
  });
});
