// A container whose main process is a shell loop keeps running in the
// browser: `docker logs -f` shows its lines as the wall clock moves, Ctrl-C
// ends the follow, and the container is still Up afterwards.

const PROMPT = 'root@tidepool:~# ';

export default async function ({ browser, context, url, screenshot }) {
  const page = await (context ?? browser).newPage();
  await page.goto(url);
  await page.waitForSelector('#term-input-line');
  await page.click('#terminal');
  const ready = () =>
    page.waitForFunction(
      (prompt) => document.querySelector('.term-prompt')?.textContent === prompt,
      PROMPT,
      { timeout: 30_000 },
    );
  const lines = () => page.$$eval('#terminal .term-line', (els) => els.map((el) => el.textContent));

  await page.keyboard.type("docker run -d --name ticker alpine sh -c 'i=0; while true; do i=$((i+1)); echo \"tick $i\"; sleep 1; done'");
  await page.keyboard.press('Enter');
  await ready();
  await page.keyboard.type('docker logs -f ticker');
  await page.keyboard.press('Enter');
  const startedAt = Date.now();
  await page.waitForFunction(
    () => [...document.querySelectorAll('#terminal .term-line')].some((el) => el.textContent === 'tick 3'),
    null,
    { timeout: 10_000 },
  );
  const waited = Date.now() - startedAt;
  if (waited < 1_000) {
    throw new Error(`tick 3 came after ${waited} ms: the script ran ahead of the clock`);
  }
  await page.keyboard.press('Control+C');
  await ready();

  await page.keyboard.type("docker ps --format '{{.Names}} {{.State}}'");
  await page.keyboard.press('Enter');
  await ready();
  const shown = await lines();
  if (!shown.includes('ticker running')) {
    throw new Error(`the loop's container should still run; got:\n${shown.join('\n')}`);
  }
  await screenshot(page, 'following');
  await page.close();
}
