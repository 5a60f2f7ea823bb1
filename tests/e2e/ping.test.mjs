// ping at the prompt is a foreground job: a reply a second as the wall
// clock moves, and Ctrl-C prints the statistics so far, as ping does.

import { atPrompt, lineAppears, openTerminal, terminalLines, typeLine } from './terminal.mjs';

export default async function ({ browser, context, url, screenshot }) {
  const page = await openTerminal({ browser, context, url });
  await typeLine(page, 'ping localhost');
  const waited = await lineAppears(page, (text) => text.includes('icmp_seq=3 '));
  if (waited < 1_500) {
    throw new Error(`three replies came after ${waited} ms: ping is not following the clock`);
  }
  await page.keyboard.press('Control+C');
  await atPrompt(page);
  const lines = await terminalLines(page);
  const at = lines.findIndex((l) => l.endsWith('^C'));
  if (at < 0 || lines[at + 1] !== '--- localhost ping statistics ---') {
    throw new Error(`Ctrl-C should print the statistics; got:\n${lines.join('\n')}`);
  }
  if (!/^\d+ packets transmitted, \d+ received, 0% packet loss, time \d+ms$/.test(lines[at + 2])) {
    throw new Error(`the statistics line is off: ${lines[at + 2]}`);
  }
  await screenshot(page, 'interrupted');
  await page.close();
}
