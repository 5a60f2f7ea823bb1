// Terminal text is text: markup typed or printed shows literally and never
// becomes an element, so a lesson or a share link cannot run script.

const PROMPT = 'root@tidepool:~# ';
const MARKUP = '<img src=x onerror=alert(1)>';

export default async function ({ browser, context, url, screenshot }) {
  const page = await (context ?? browser).newPage();
  const dialogs = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    dialog.dismiss().catch(() => {});
  });
  await page.goto(url);
  await page.waitForSelector('#term-input-line');

  const command = `echo '${MARKUP}'`;
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    (echoed) =>
      [...document.querySelectorAll('#terminal .term-line')].some((el) => el.textContent === echoed),
    PROMPT + command,
  );
  // Give an injected onerror handler time to fire, were there one.
  await page.waitForTimeout(500);

  const lines = await page.$$eval('#terminal .term-line', (els) => els.map((el) => el.textContent));
  const output = lines.slice(lines.indexOf(PROMPT + command) + 1);
  if (output[0] !== MARKUP) {
    throw new Error(`echo prints the markup as text; got ${JSON.stringify(output)}`);
  }
  const text = await page.locator('#terminal').innerText();
  if (!text.includes(`\n${MARKUP}\n`)) {
    throw new Error(`innerText shows the markup literally; got:\n${text}`);
  }
  const images = await page.locator('#terminal img').count();
  if (images !== 0) {
    throw new Error(`${images} <img> element(s) in the terminal`);
  }
  if (dialogs.length !== 0) {
    throw new Error(`a dialog fired: ${dialogs.join(', ')}`);
  }
  await screenshot(page, 'literal');
  // Closed only on success: a failing test leaves it for the runner's screenshot.
  await page.close();
}
