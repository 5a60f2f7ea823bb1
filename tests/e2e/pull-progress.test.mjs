// docker pull draws each layer's progress bar in place as virtual time
// passes, and leaves `Pull complete` on that same line.

export default async function ({ browser, context, url, screenshot }) {
  const page = await (context ?? browser).newPage();
  await page.goto(url);
  await page.waitForSelector('#term-input-line');
  await page.keyboard.type('docker pull node');
  await page.keyboard.press('Enter');
  const text = () => page.$eval('#terminal', (t) => t.innerText);
  await page.waitForFunction(() => /Downloading \[=*>? *\]/.test(document.querySelector('#terminal').innerText), null, { timeout: 20000 });
  await screenshot(page, 'downloading');
  await page.waitForFunction(() => document.querySelector('#terminal').innerText.includes('docker.io/library/node:latest'), null, { timeout: 60000 });
  const done = await text();
  const layers = done.split('\n').filter((l) => /^[0-9a-f]{12}: /.test(l)).map((l) => l.trimEnd());
  if (layers.length !== 5 || !layers.every((l) => l.endsWith('Pull complete'))) {
    throw new Error(`five layers ending in Pull complete, one line each; got:\n${layers.join('\n')}`);
  }
  await screenshot(page, 'done');
  await page.close();
}
