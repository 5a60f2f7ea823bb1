// An attached `docker run` owns the terminal: its output arrives as the wall
// clock moves, no prompt shows meanwhile, and Ctrl-C hands the prompt back.

import { atPrompt, terminalLines } from './terminal.mjs';

export default async function ({ browser, context, url, screenshot }) {
  const page = await (context ?? browser).newPage();
  await page.goto(url);
  await page.waitForSelector('#term-input-line');

  await page.keyboard.type('docker run --name counter devwikirepo/hundredcounter');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('.term-prompt')?.textContent === '');
  const startedAt = Date.now();
  // The counter prints one line a second; the third needs about three.
  await page.waitForFunction(
    () => [...document.querySelectorAll('#terminal .term-line')].some((el) => el.textContent.trim() === '3'),
    null,
    { timeout: 10_000 },
  );
  const waited = Date.now() - startedAt;
  if (waited < 1_500) {
    throw new Error(`three counts came after ${waited} ms: time is not following the wall clock`);
  }

  await page.keyboard.press('Control+C');
  await atPrompt(page);
  const lines = await terminalLines(page);
  if (!lines.some((line) => line.endsWith('^C'))) {
    throw new Error(`Ctrl-C shows ^C; got:\n${lines.join('\n')}`);
  }
  await screenshot(page, 'interrupted');
  await page.close();
}
