// Browser benchmarks for `cargo xtask bench`: against the release site at
// TIDEPOOL_URL, in headless Chromium:
//   - navigation to a ready prompt (median of 5 fresh page loads),
//   - the total transfer, gzip -9 of every file the page loads,
//   - keypress-to-render of `docker ps -a` over 1,000 containers: from the
//     Enter keydown to the frame that shows the table (median of 5).

import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

const npmPrefix = process.env.NODE_PATH
  ? dirname(process.env.NODE_PATH.split(':')[0])
  : join(homedir(), '.cache', 'tidepool', 'npm');
const require = createRequire(join(npmPrefix, 'package.json'));
const { chromium } = require('playwright-core');

const url = process.env.TIDEPOOL_URL ?? 'http://127.0.0.1:8080/';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});

// In the page, before its scripts: the moment the first frame that shows
// the prompt has been painted (a task queued from that frame's animation
// callback runs after its paint). Timing it in the page leaves out the
// round trips of asking from here, which a learner never waits for.
function watchPrompt() {
  const seen = new MutationObserver(() => {
    if (document.querySelector('.term-prompt')) {
      seen.disconnect();
      requestAnimationFrame(() => setTimeout(() => { window.promptShown = performance.now(); }, 0));
    }
  });
  seen.observe(document, { childList: true, subtree: true });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  // Ready prompt and transfer.
  const ready = [];
  let transfer = 0;
  let files = 0;
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const bodies = [];
    page.on('response', async (response) => {
      try {
        bodies.push(await response.body());
      } catch {}
    });
    await page.addInitScript(watchPrompt);
    await page.goto(url);
    ready.push(await page.waitForFunction(() => window.promptShown).then((t) => t.jsonValue()));
    if (i === 0) {
      await page.waitForLoadState('networkidle');
      files = bodies.length;
      transfer = bodies.reduce((sum, b) => sum + gzipSync(b, { level: 9 }).length, 0);
    }
    await context.close();
  }
  console.log(`navigation to a ready prompt: ${median(ready).toFixed(0)} ms (median of 5)`);
  console.log(`total transfer, gzip -9: ${(transfer / 1000).toFixed(0)} kB in ${files} files`);

  // Keypress-to-render over 1,000 containers.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector('.term-prompt');
  await page.click('#terminal');
  const type = async (command) => {
    await page.keyboard.type(command);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('.term-prompt')?.textContent === 'root@tidepool:~# ');
  };
  await type('docker pull -q nginx');
  await type('for i in $(seq 1000); do docker create nginx > /dev/null; done');
  const renders = [];
  for (let i = 0; i < 5; i++) {
    await page.keyboard.type('docker ps -a');
    const ms = await page.evaluate(() => new Promise((resolve) => {
      const keys = document.querySelector('.term-keys');
      const count = () => +document.querySelector('#terminal .term-scrollback').dataset.lines;
      const before = count();
      const start = performance.now();
      keys.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
      const poll = () => {
        if (count() > before + 1000) {
          requestAnimationFrame(() => resolve(performance.now() - start));
        } else {
          setTimeout(poll, 0);
        }
      };
      poll();
    }));
    renders.push(ms);
    await page.keyboard.press('Control+l');
  }
  console.log(`keypress-to-render, docker ps -a over 1,000 containers: ${median(renders).toFixed(0)} ms (median of 5)`);
  await context.close();
} finally {
  await browser.close();
}
