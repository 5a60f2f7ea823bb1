// A container whose main process is a shell loop keeps running in the
// browser: `docker logs -f` shows its lines as the wall clock moves, Ctrl-C
// ends the follow, and the container is still Up afterwards.

import { atPrompt, lineAppears, openTerminal, terminalLines, typeLine } from './terminal.mjs';

export default async function ({ browser, context, url, screenshot }) {
  const page = await openTerminal({ browser, context, url });
  const ready = () => atPrompt(page, 30_000);

  await typeLine(page, "docker run -d --name ticker alpine sh -c 'i=0; while true; do i=$((i+1)); echo \"tick $i\"; sleep 1; done'");
  await ready();
  await typeLine(page, 'docker logs -f ticker');
  const waited = await lineAppears(page, (text) => text === 'tick 3');
  if (waited < 1_000) {
    throw new Error(`tick 3 came after ${waited} ms: the script ran ahead of the clock`);
  }
  await page.keyboard.press('Control+C');
  await ready();

  await typeLine(page, "docker ps --format '{{.Names}} {{.State}}'");
  await ready();
  const shown = await terminalLines(page);
  if (!shown.includes('ticker running')) {
    throw new Error(`the loop's container should still run; got:\n${shown.join('\n')}`);
  }
  await screenshot(page, 'following');
  await page.close();
}
