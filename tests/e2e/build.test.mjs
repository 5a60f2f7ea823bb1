// docker build in the browser: BuildKit's tty block redraws in place as
// virtual time passes (one `[+] Building … FINISHED` header at the end, not
// a copy per frame), then the image runs.

export default async function ({ browser, context, url, screenshot }) {
  const page = await (context ?? browser).newPage();
  await page.goto(url);
  await page.waitForSelector('#term-input-line');
  await page.click('#terminal');
  const lines = [
    'mkdir app && cd app',
    "cat > Dockerfile <<'EOF'",
    'FROM alpine',
    'RUN echo built > /greeting',
    'CMD ["cat", "/greeting"]',
    'EOF',
  ];
  for (const line of lines) {
    await page.keyboard.type(line);
    await page.keyboard.press('Enter');
  }
  await page.keyboard.type('docker build -t greeter .');
  await page.keyboard.press('Enter');
  // While it runs, the header counts up; at the end it says FINISHED.
  await page.waitForFunction(() => document.querySelector('#terminal').innerText.includes('FINISHED'), null, { timeout: 30000 });
  await page.waitForFunction(() => document.querySelector('.term-prompt')?.textContent === 'root@tidepool:~/app# ');
  const text = await page.locator('#terminal').innerText();
  const headers = text.split('\n').filter((l) => l.startsWith('[+] Building'));
  if (headers.length !== 1 || !/^\[\+\] Building \d+\.\ds \(6\/6\) FINISHED/.test(headers[0])) {
    throw new Error(`build headers: ${JSON.stringify(headers)}`);
  }
  for (const want of [' => [1/2] FROM docker.io/library/alpine:latest', ' => [2/2] RUN echo built > /greeting', ' => => naming to docker.io/library/greeter:latest']) {
    if (!text.includes(want)) throw new Error(`missing ${want}:\n${text}`);
  }
  await screenshot(page, 'finished');
  await page.keyboard.type('docker run --rm greeter');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() =>
    [...document.querySelectorAll('#terminal .term-line')].some((el) => el.textContent === 'built'));
  await page.close();
}
