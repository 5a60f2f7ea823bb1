// Light and dark: the toolbar switches the theme, and the choice survives
// a reload.

export default async function ({ browser, context, url, screenshot }) {
  const page = await (context ?? browser).newPage();
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(url);
  await page.waitForSelector('#term-input-line');
  const theme = () => page.getAttribute('.app', 'data-theme');
  if ((await theme()) !== 'dark') throw new Error('a dark system starts dark');
  await page.click('#theme-button');
  if ((await theme()) !== 'light') throw new Error('the switch did not make it light');
  const background = await page.$eval('#terminal', (el) => getComputedStyle(el.closest('.app')).backgroundColor);
  if (background !== 'rgb(255, 255, 255)') throw new Error(`light background is ${background}`);
  await page.reload();
  await page.waitForSelector('#term-input-line');
  if ((await theme()) !== 'light') throw new Error('the choice did not survive a reload');
  await screenshot(page, 'light');
  await page.close();
}
