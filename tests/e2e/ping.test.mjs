// ping at the prompt is a foreground job: a reply a second as the wall
// clock moves, and Ctrl-C prints the statistics so far, as ping does.

const PROMPT = 'root@tidepool:~# ';

export default async function ({ browser, context, url, screenshot }) {
  const page = await (context ?? browser).newPage();
  await page.goto(url);
  await page.waitForSelector('#term-input-line');
  await page.click('#terminal');
  await page.keyboard.type('ping localhost');
  await page.keyboard.press('Enter');
  const startedAt = Date.now();
  await page.waitForFunction(
    () => [...document.querySelectorAll('#terminal .term-line')].some((el) => el.textContent.includes('icmp_seq=3 ')),
    null,
    { timeout: 10_000 },
  );
  const waited = Date.now() - startedAt;
  if (waited < 1_500) {
    throw new Error(`three replies came after ${waited} ms: ping is not following the clock`);
  }
  await page.keyboard.press('Control+C');
  await page.waitForFunction(
    (prompt) => document.querySelector('.term-prompt')?.textContent === prompt,
    PROMPT,
    { timeout: 15_000 },
  );
  const lines = await page.$$eval('#terminal .term-line', (els) => els.map((el) => el.textContent));
  const at = lines.findIndex((l) => l.endsWith('^C'));
  if (at < 0 || lines[at + 1] !== '--- localhost ping statistics ---') {
    throw new Error(`Ctrl-C should print the statistics; got:\n${lines.join('\n')}`);
  }
  if (!/^\d+ packets transmitted, \d+ received, 0% packet loss, time \d+ms$/.test(lines[at + 2])) {
    throw new Error(`the statistics line is off: ${lines[at + 2]}`);
  }
  await screenshot(page, 'interrupted');
  await page.close();
}
