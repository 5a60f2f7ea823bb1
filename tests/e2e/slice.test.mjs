// The first slice end to end: run nginx with a published port, see it in
// `docker ps`, curl it, stop and remove it, all typed with real key events
// into the terminal; then history recall and Ctrl-C.

const PROMPT = 'root@tidepool:~# ';
const PS_HEADER = 'CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES';

export default async function ({ browser, context, url, screenshot }) {
  const page = await (context ?? browser).newPage();
  await page.goto(url);
  await page.waitForSelector('#term-input-line');
  await expectInputLine(page, '');

  let out = await run(page, 'docker run -d -p 8080:80 --name web nginx');
  expect(out.includes("Unable to find image 'nginx:latest' locally"), 'pull notice', out);
  expect(out.some((line) => /^[0-9a-f]{64}$/.test(line)), 'a 64-hex container id line', out);

  out = await run(page, 'docker ps');
  expect(out[0]?.startsWith('CONTAINER ID   IMAGE'), 'ps header', out);
  const row = out.find((line) => line.includes('nginx'));
  expect(row?.includes('0.0.0.0:8080->80/tcp, [::]:8080->80/tcp'), 'published port', out);
  expect(row?.endsWith('web'), 'the NAMES column', out);

  // The browser's clock drives the sandbox's: seconds pass in `docker ps`.
  await page.waitForTimeout(2_300);
  out = await run(page, 'docker ps');
  const status = out.find((line) => line.includes('nginx'));
  expect(/Up ([2-9]|\d\d+) seconds/.test(status ?? ''), 'uptime grows with wall-clock time', out);

  out = await run(page, 'curl localhost:8080');
  expect(out.some((line) => line.includes('Welcome to nginx!')), 'nginx welcome page', out);

  out = await run(page, 'docker stop web && docker rm web');
  expect(out.filter((line) => line === 'web').length === 2, '"web" from stop, then from rm', out);

  out = await run(page, 'docker ps -a');
  expect(out.length === 1 && out[0] === PS_HEADER, 'an empty list: the header only', out);

  const text = await page.locator('#terminal').innerText();
  expect(text.includes(`${PROMPT}curl localhost:8080`), 'scrollback readable as innerText', text);

  await page.keyboard.press('ArrowUp');
  await expectInputLine(page, 'docker ps -a');

  const linesBefore = await scrollbackLines(page);
  await page.keyboard.press('Control+C');
  await expectInputLine(page, '');
  const linesAfter = await scrollbackLines(page);
  expect(
    linesAfter.length === linesBefore.length + 1 &&
      linesAfter.at(-1) === `${PROMPT}docker ps -a^C`,
    'Ctrl-C abandons the line without running it',
    linesAfter.slice(-3),
  );

  await page.keyboard.type('docker images');
  await screenshot(page, 'slice');
  // Closed only on success: a failing test leaves it for the runner's screenshot.
  await page.close();
}

/** Types `line`, presses Enter, and returns the lines it printed. */
async function run(page, line) {
  const echoed = PROMPT + line;
  const before = (await scrollbackLines(page)).length;
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    ({ echoed, before }) => {
      const lines = [...document.querySelectorAll('#terminal .term-line')];
      return lines.length > before && lines.slice(before).some((el) => el.textContent === echoed);
    },
    { echoed, before },
  );
  const lines = await scrollbackLines(page);
  return lines.slice(lines.lastIndexOf(echoed) + 1);
}

async function scrollbackLines(page) {
  return page.$$eval('#terminal .term-line', (lines) => lines.map((el) => el.textContent));
}

/** The live line shows the prompt, then `typed`, then the cursor block. */
async function expectInputLine(page, typed) {
  const want = `${PROMPT}${typed} `;
  try {
    await page.waitForFunction(
      (want) => document.querySelector('#term-input-line')?.textContent === want,
      want,
      { timeout: 5_000 },
    );
  } catch {
    const got = await page.locator('#term-input-line').textContent();
    throw new Error(`input line: want ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  }
}

function expect(ok, what, detail) {
  if (!ok) {
    throw new Error(`${what}; got:\n${Array.isArray(detail) ? detail.join('\n') : detail}`);
  }
}
