// The host diagram: nginx:latest and nginx:stable drawn on one shared base
// layer, a container on its image with its port, an inspect summary on
// click and the same picture as text; then the 360 px layout, where the
// panes are tabs and a key row stands in for Tab, Ctrl-C and the arrows.

const PROMPT = 'root@tidepool:~# ';

async function run(page, command) {
  const before = await page.locator('#terminal .term-line').count();
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    ([n, echoed]) => {
      const lines = [...document.querySelectorAll('#terminal .term-line')];
      return lines.length > n && lines.slice(n).some((el) => el.textContent === echoed)
        && document.querySelector('.term-prompt')?.textContent === 'root@tidepool:~# ';
    },
    [before, PROMPT + command],
  );
}

export default async function ({ browser, context, url, screenshot }) {
  const page = await (context ?? browser).newPage();
  await page.goto(url);
  await page.waitForSelector('#term-input-line');
  await page.selectOption('#locale-select', 'en');
  await page.click('#terminal');
  await run(page, 'docker pull -q nginx');
  await run(page, 'docker pull -q nginx:stable');
  await run(page, 'docker run -d --name web -p 8080:80 nginx');

  await page.click('.tab-host');
  await page.waitForSelector('#host-diagram svg');
  const images = await page.locator('.diagram-image').count();
  if (images !== 2) throw new Error(`${images} images drawn`);
  // Every layer is drawn once; the base both images stand on spans both.
  const shared = await page.$$eval('.diagram-layer', (els) =>
    els.map((el) => ({ shared: el.dataset.shared, width: +el.querySelector('rect').getAttribute('width') })));
  const both = shared.filter((l) => l.shared === '2');
  if (both.length === 0) throw new Error(`no shared layer: ${JSON.stringify(shared)}`);
  const widest = Math.max(...shared.map((l) => l.width));
  if (both[0].width !== widest) throw new Error('the shared layer does not span both images');
  if (shared.filter((l) => l.shared === '1').length === 0) throw new Error('no layer of their own');

  const web = page.locator('.diagram-container[data-name="web"]');
  const label = await web.textContent();
  if (!label.includes('Running') || !label.includes('8080')) throw new Error(`container drawn as ${label}`);
  await web.click();
  const details = await page.textContent('.diagram-details');
  if (!details.includes('docker inspect web') || !details.includes('0.0.0.0:8080 → 80/tcp')) {
    throw new Error(`inspect summary: ${details}`);
  }
  await page.click('.diagram-text summary');
  const text = await page.textContent('.diagram-text');
  if (!text.includes('Image nginx:latest') || !text.includes('shared with other images')
    || !text.includes('Container web from nginx: running')) {
    throw new Error(`text view: ${text}`);
  }
  await screenshot(page, 'shared-layers');

  // The diagram follows the host: a stopped container shows its exit code.
  await page.click('#terminal');
  await run(page, 'docker stop web');
  await page.waitForFunction(() =>
    document.querySelector('.diagram-container[data-name="web"]')?.textContent.includes('Exited (0)'));
  await page.close();

  // 360 px wide: the panes are tabs; the key row types for a thumb.
  const small = await browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true });
  const phone = await small.newPage();
  await phone.goto(url);
  await phone.waitForSelector('.tab-terminal');
  await phone.selectOption('#locale-select', 'ko');
  if (await phone.locator('#terminal').isVisible()) throw new Error('the terminal shows under the lesson at 360 px');
  await phone.click('.tab-terminal');
  await phone.waitForSelector('#terminal', { state: 'visible' });
  if (await phone.locator('#lesson-pane').isVisible()) throw new Error('the lesson still shows');
  await run(phone, 'echo first');
  await phone.click('.key-row button:has-text("↑")');
  await phone.waitForFunction(() => document.querySelector('#term-input-line').textContent.includes('echo first'));
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  if (width > 360) throw new Error(`the page is ${width}px wide at 360`);
  await screenshot(phone, 'phone-360');
  await small.close();
}
