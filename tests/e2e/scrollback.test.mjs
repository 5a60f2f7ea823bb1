// 10,000 lines of output: the scrollback keeps the newest 5,000 (a
// terminal's limit), draws only the rows in view, and scrolling up shows
// the older ones.

export default async function ({ browser, context, url, screenshot }) {
  const page = await (context ?? browser).newPage();
  await page.goto(url);
  await page.waitForSelector('#term-input-line');
  await page.click('#terminal');
  await page.keyboard.type('seq 10000');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('.term-prompt')?.textContent === 'root@tidepool:~# ');
  const lines = await page.$eval('#terminal .term-scrollback', (el) => +el.dataset.lines);
  if (lines !== 5000) throw new Error(`the scrollback holds ${lines} lines`);
  const drawn = await page.locator('#terminal .term-line').count();
  if (drawn > 400) throw new Error(`${drawn} rows drawn for a screenful`);
  const last = await page.locator('#terminal .term-line').last().textContent();
  if (last !== '10000') throw new Error(`the bottom row is ${last}`);
  // Scroll to the top: the oldest kept line is drawn there.
  await page.$eval('#terminal', (el) => { el.scrollTop = 0; });
  await page.waitForFunction(() =>
    [...document.querySelectorAll('#terminal .term-line')].some((el) => el.textContent === '5001'));
  await screenshot(page, 'top');
  await page.close();
}
