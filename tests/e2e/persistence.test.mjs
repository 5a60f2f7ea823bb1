// The sandbox survives a reload, a damaged save is kept aside and reported,
// a share link rebuilds the same host in a fresh browser, and undo takes
// back the last command.

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

async function terminalText(page) {
  return page.locator('#terminal').innerText();
}

export default async function ({ browser, context, url, screenshot }) {
  const page = await (context ?? browser).newPage();
  await page.goto(url);
  await page.waitForSelector('#term-input-line');
  await page.selectOption('#locale-select', 'en');

  await run(page, 'docker run -d --name keeper -p 8080:80 nginx');
  await run(page, 'echo kept > /root/note.txt');

  // Reload: the same host, the same screen.
  await page.reload();
  await page.waitForSelector('#term-input-line');
  await page.waitForFunction(() => document.querySelector('#terminal').innerText.includes('echo kept > /root/note.txt'));
  await run(page, 'docker ps --format "{{.Names}} {{.Ports}}"');
  await run(page, 'cat /root/note.txt');
  let text = await terminalText(page);
  if (!text.includes('keeper 0.0.0.0:8080->80/tcp, [::]:8080->80/tcp') || !text.includes('\nkept\n')) {
    throw new Error(`the reload lost the sandbox:\n${text}`);
  }

  // Undo, typed and from the toolbar.
  await run(page, 'docker rm -f keeper');
  await page.keyboard.type('undo');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() =>
    [...document.querySelectorAll('#terminal .term-line')].some((el) => el.textContent === 'root@tidepool:~# undo'));
  await run(page, 'docker ps -q -f name=keeper | wc -l');
  text = await terminalText(page);
  if (!text.trimEnd().endsWith('wc -l\n1\nroot@tidepool:~#') && !/wc -l\n1\n/.test(text)) {
    throw new Error(`undo did not bring keeper back:\n${text}`);
  }

  // A share link opens the same sandbox in a browser that never saw it.
  await page.click('#share-button');
  await page.waitForFunction(() => location.hash.startsWith('#sandbox='));
  const link = page.url();
  const other = await browser.newContext();
  try {
    const fresh = await other.newPage();
    await fresh.goto(link);
    await fresh.waitForSelector('#term-input-line');
    await fresh.waitForFunction(() => document.querySelector('#terminal').innerText.includes('echo kept > /root/note.txt'));
    await run(fresh, 'curl -s localhost:8080 | grep title');
    const shared = await terminalText(fresh);
    if (!shared.includes('<title>Welcome to nginx!</title>')) throw new Error(`the link's host differs:\n${shared}`);
    if ((await fresh.evaluate(() => location.hash)) !== '') throw new Error('the link stays in the address bar');
    await screenshot(fresh, 'shared');
  } finally {
    await other.close();
  }

  // A damaged save is kept aside, and the terminal says where.
  await page.evaluate(() => localStorage.setItem('tidepool.sandbox', '{"version":1,"seed":'));
  await page.goto(url);
  await page.waitForSelector('#term-input-line');
  await page.waitForFunction(() => document.querySelector('#terminal').innerText.includes('could not be restored'));
  text = await terminalText(page);
  if (!text.includes('It was kept, not deleted, in localStorage["tidepool.sandbox.unreadable"]')) {
    throw new Error(`no report of the damaged save:\n${text}`);
  }
  const aside = await page.evaluate(() => localStorage.getItem('tidepool.sandbox.unreadable'));
  if (aside !== '{"version":1,"seed":') throw new Error(`the damaged save was not kept: ${aside}`);
  await screenshot(page, 'damaged-save');

  // Reset asks first; dismissing keeps the sandbox.
  await run(page, 'touch /root/still-here');
  page.once('dialog', (d) => d.dismiss());
  await page.click('#reset-button');
  await run(page, 'ls /root');
  if (!(await terminalText(page)).includes('still-here')) throw new Error('a dismissed reset reset anyway');
  page.once('dialog', (d) => d.accept());
  await page.click('#reset-button');
  await page.waitForFunction(() => document.querySelector('#terminal').innerText.includes('A fresh sandbox.'));
  await page.close();
}
