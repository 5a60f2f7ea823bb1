// `docker run -it` hands the terminal to a shell in the container: its
// prompt, its filesystem; Ctrl-D leaves it and the host prompt comes back.

const PROMPT = 'root@tidepool:~# ';

export default async function ({ browser, context, url, screenshot }) {
  const page = await (context ?? browser).newPage();
  await page.goto(url);
  await page.waitForSelector('#term-input-line');

  await run(page, 'docker run -it --name box ubuntu');
  const inside = await prompt(page);
  const id = /^root@([0-9a-f]{12}):\/# $/.exec(inside)?.[1];
  if (!id) {
    throw new Error(`a bash prompt in the container; got ${JSON.stringify(inside)}`);
  }

  let out = await run(page, 'hostname');
  expect(out.length === 1 && out[0] === id, 'the hostname is the short container id', out);
  out = await run(page, 'echo hello > /tmp/x && cat /tmp/x');
  expect(out.length === 1 && out[0] === 'hello', "the container's own filesystem", out);

  await page.keyboard.press('Control+D');
  await page.waitForFunction((want) => document.querySelector('.term-prompt')?.textContent === want, PROMPT);
  const lines = await scrollbackLines(page);
  expect(lines.at(-1) === `${inside}exit`, 'bash says exit on its prompt line', lines.slice(-3));

  out = await run(page, "docker ps -a --format '{{.Names}} {{.Status}}'");
  expect(out.length === 1 && /^box Exited \(0\)/.test(out[0]), 'leaving the main shell stops the container', out);
  await screenshot(page, 'left');
  await page.close();
}

async function prompt(page) {
  return page.locator('.term-prompt').textContent();
}

/** Types `line` at the current prompt, presses Enter, returns what it printed. */
async function run(page, line) {
  const echoed = (await prompt(page)) + line;
  const before = (await scrollbackLines(page)).length;
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    ({ echoed, before }) =>
      [...document.querySelectorAll('#terminal .term-line')].slice(before).some((el) => el.textContent === echoed),
    { echoed, before },
  );
  const lines = await scrollbackLines(page);
  return lines.slice(lines.lastIndexOf(echoed) + 1);
}

async function scrollbackLines(page) {
  return page.$$eval('#terminal .term-line', (lines) => lines.map((el) => el.textContent));
}

function expect(ok, what, detail) {
  if (!ok) {
    throw new Error(`${what}; got:\n${Array.isArray(detail) ? detail.join('\n') : detail}`);
  }
}
