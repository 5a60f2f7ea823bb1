// Tab completes at the cursor through the shell's completion: a container
// name after `docker stop`, a docker subcommand, and a second Tab lists the
// candidates when there are several.

export default async function ({ browser, context, url, screenshot }) {
  const page = await (context ?? browser).newPage();
  await page.goto(url);
  await page.waitForSelector('#term-input-line');

  await run(page, 'docker run -d --name webserver nginx');

  await page.keyboard.type('docker stop web');
  await page.keyboard.press('Tab');
  await page.waitForFunction(() => document.querySelector('#term-input-line')?.textContent.includes('docker stop webserver'));

  await page.keyboard.press('Control+U');
  await page.keyboard.type('docker st');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.waitForFunction(() => {
    const lines = [...document.querySelectorAll('#terminal .term-line')].map((el) => el.textContent);
    const last = lines.at(-1) ?? '';
    return /start/.test(last) && /stats/.test(last) && /stop/.test(last);
  });
  await screenshot(page, 'listed');
  await page.close();
}

async function run(page, line) {
  const before = await page.$$eval('#terminal .term-line', (l) => l.length);
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  await page.waitForFunction((before) => document.querySelectorAll('#terminal .term-line').length > before + 1, before);
  await page.waitForFunction(() => document.querySelector('.term-prompt')?.textContent.endsWith('# '));
}
