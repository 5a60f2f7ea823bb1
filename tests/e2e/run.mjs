// Runs every tests/e2e/*.test.mjs against the site at TIDEPOOL_URL in one
// headless Chromium. `cargo xtask test e2e` builds and serves the site and
// sets the environment; by hand:
//
//   TIDEPOOL_URL=http://127.0.0.1:8080/ node tests/e2e/run.mjs [name-filter]
//
// A test file default-exports `async ({ browser, context, url, screenshot }) => {}`
// and throws to fail. `context` is a fresh browser context (own storage, so
// localStorage never leaks between tests); every context is closed after the
// test. `screenshot(page, name)` saves SCREENSHOTS/<test>-<name>.png. A failed
// test also gets a screenshot of each page it left open.

import { createRequire } from 'node:module';
import { mkdirSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// ESM imports ignore NODE_PATH, so resolve playwright-core from the npm cache
// that `cargo xtask` fills (~/.cache/tidepool/npm).
const npmPrefix = process.env.NODE_PATH
  ? dirname(process.env.NODE_PATH.split(':')[0])
  : join(homedir(), '.cache', 'tidepool', 'npm');
const require = createRequire(join(npmPrefix, 'package.json'));
const { chromium } = require('playwright-core');

const here = dirname(fileURLToPath(import.meta.url));
const url = process.env.TIDEPOOL_URL ?? 'http://127.0.0.1:8080/';
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const screenshots = process.env.SCREENSHOTS ?? join(here, 'screenshots');
const timeoutMs = Number(process.env.E2E_TIMEOUT_MS ?? 60_000);
const filter = process.argv[2] ?? '';

const files = readdirSync(here)
  .filter((file) => file.endsWith('.test.mjs'))
  .filter((file) => file.includes(filter))
  .sort();

mkdirSync(screenshots, { recursive: true });

const browser = await chromium.launch({
  executablePath,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

let passed = 0;
let failed = 0;
try {
  for (const file of files) {
    const name = file.slice(0, -'.test.mjs'.length);
    const context = await browser.newContext();
    const pageErrors = [];
    context.on('page', (page) => page.on('pageerror', (error) => pageErrors.push(error.message)));
    const screenshot = (page, shot) =>
      page.screenshot({ path: join(screenshots, `${name}-${shot}.png`), fullPage: true });
    try {
      const { default: test } = await import(pathToFileURL(join(here, file)).href);
      if (typeof test !== 'function') {
        throw new Error(`${file} does not default-export a test function`);
      }
      await withTimeout(test({ browser, context, url, screenshot }), timeoutMs);
      passed += 1;
      console.log(`ok ${name}`);
    } catch (error) {
      failed += 1;
      console.log(`FAILED ${name}: ${error?.stack ?? error}`);
      for (const message of pageErrors) {
        console.log(`  page error: ${message}`);
      }
      await screenshotOpenPages(name);
    } finally {
      for (const open of browser.contexts()) {
        await open.close().catch(() => {});
      }
    }
  }
} finally {
  await browser.close();
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

function withTimeout(promise, ms) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function screenshotOpenPages(name) {
  const pages = browser.contexts().flatMap((context) => context.pages());
  for (const [i, page] of pages.entries()) {
    const path = join(screenshots, `${name}-failure-${i}.png`);
    await page.screenshot({ path, fullPage: true }).catch(() => {});
    console.log(`  screenshot: ${path}`);
  }
}
