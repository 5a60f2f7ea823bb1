// What several browser tests do with the terminal, said once: open the
// page at a ready prompt, type a line, wait for the prompt to come back,
// read the lines on screen, wait for a line to appear. (Not a test: run.mjs
// only loads *.test.mjs.)

export const PROMPT = 'root@tidepool:~# ';

/// A fresh page with the terminal focused.
export async function openTerminal({ browser, context, url }) {
  const page = await (context ?? browser).newPage();
  await page.goto(url);
  await page.waitForSelector('#term-input-line');
  await page.click('#terminal');
  return page;
}

/// Types `line` and presses Enter.
export async function typeLine(page, line) {
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/// Waits until the host's prompt shows again.
export function atPrompt(page, timeout = 15_000) {
  return page.waitForFunction(
    (prompt) => document.querySelector('.term-prompt')?.textContent === prompt,
    PROMPT,
    { timeout },
  );
}

/// The terminal's lines as text.
export function terminalLines(page) {
  return page.$$eval('#terminal .term-line', (els) => els.map((el) => el.textContent));
}

/// Waits for a line that `test` (run in the page on each line's text)
/// accepts; returns the milliseconds it took.
export async function lineAppears(page, test, timeout = 10_000) {
  const startedAt = Date.now();
  await page.waitForFunction(
    (source) => {
      const accepts = new Function('text', `return (${source})(text);`);
      return [...document.querySelectorAll('#terminal .term-line')].some((el) => accepts(el.textContent));
    },
    test.toString(),
    { timeout },
  );
  return Date.now() - startedAt;
}
