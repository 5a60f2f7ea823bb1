// `nano FILE` opens the editor over the page; Ctrl-S saves into the file
// the shell sees, Esc closes and the keyboard goes back to the terminal.

export default async function ({ browser, context, url, screenshot }) {
  const page = await (context ?? browser).newPage();
  await page.goto(url);
  await page.waitForSelector('#term-input-line');
  await page.selectOption('#locale-select', 'en');
  await page.click('#terminal');
  await page.keyboard.type('mkdir -p site && nano site/index.html');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#editor-text');
  const focused = await page.evaluate(() => document.activeElement?.id);
  if (focused !== 'editor-text') throw new Error(`focus is on ${focused}`);
  await page.keyboard.type('<h1>Hello from nano</h1>');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+s');
  await page.waitForFunction(() => document.querySelector('.editor-status')?.textContent === 'Saved');
  await screenshot(page, 'open');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#editor', { state: 'detached' });
  await page.waitForFunction(() => document.activeElement?.classList.contains('term-keys'));
  await page.keyboard.type('cat site/index.html');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() =>
    [...document.querySelectorAll('#terminal .term-line')].some((el) => el.textContent === '<h1>Hello from nano</h1>'));
  // Reopening shows what was saved.
  await page.keyboard.type('vi site/index.html');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#editor-text');
  const text = await page.inputValue('#editor-text');
  if (text !== '<h1>Hello from nano</h1>\n') throw new Error(`reopened with ${JSON.stringify(text)}`);
  await page.click('#editor-close');
  await page.close();
}
