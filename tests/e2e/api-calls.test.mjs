// "Show API calls": with the toggle on, each docker command shows the
// Engine API requests it sent the daemon, before its output.

export default async function ({ browser, context, url, screenshot }) {
  const page = await (context ?? browser).newPage();
  await page.goto(url);
  await page.waitForSelector('#term-input-line');
  await page.click('#api-button');
  if ((await page.getAttribute('#api-button', 'aria-pressed')) !== 'true') throw new Error('toggle not on');
  await page.keyboard.type('docker run -d --name web nginx');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('#terminal .term-api').length >= 5);
  const calls = await page.$$eval('#terminal .term-api', (els) => els.map((el) => el.textContent));
  const want = ['→ HEAD /v1.50/_ping', '→ POST /v1.50/containers/create?name=web',
    '→ POST /v1.50/images/create?fromImage=nginx&tag=latest', '→ POST /v1.50/containers/create?name=web'];
  if (JSON.stringify(calls.slice(0, 4)) !== JSON.stringify(want) || !/^→ POST \/v1\.50\/containers\/[0-9a-f]{64}\/start$/.test(calls[4])) {
    throw new Error(`requests shown: ${JSON.stringify(calls)}`);
  }
  await screenshot(page, 'run');
  await page.click('#api-button');
  await page.keyboard.type('docker ps');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#terminal').innerText.includes('CONTAINER ID'));
  const after = await page.locator('#terminal .term-api').count();
  if (after !== calls.length) throw new Error('requests shown with the toggle off');
  await page.close();
}
