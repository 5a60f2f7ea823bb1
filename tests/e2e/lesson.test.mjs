// A learner takes the first lesson: picks it from the list, clicks a step's
// "run" button, watches the step turn ✓, types the next command with real
// keys, asks for a hint and, after a confirmation, the solution; then the
// whole pane switches to Korean.

async function stepClass(page, id) {
  return page.getAttribute(`.lesson-step[data-step="${id}"]`, 'class');
}

async function waitForStep(page, id, state) {
  await page.waitForFunction(
    ([id, state]) =>
      document.querySelector(`.lesson-step[data-step="${id}"]`)?.classList.contains(state),
    [id, state],
  );
}

export default async function ({ browser, context, url, screenshot }) {
  const page = await (context ?? browser).newPage();
  await page.goto(url);
  await page.waitForSelector('#lesson-pane');
  // English unless the browser asks for Korean.
  await page.selectOption('#locale-select', 'en');

  await page.selectOption('#lesson-select', 'hello');
  await page.waitForSelector('.lesson-title');
  const title = await page.textContent('.lesson-title');
  if (title !== 'Your first container') throw new Error(`lesson title: ${title}`);
  await page.waitForFunction(() =>
    document.querySelector('#terminal').innerText.includes('Your first container: A fresh host for this lesson is ready.'),
  );
  if (!(await stepClass(page, 'hello')).includes('current')) throw new Error('step 1 is not current');
  if (!(await stepClass(page, 'again')).includes('ahead')) throw new Error('step 2 is not ahead');

  // The run button types the block into the terminal.
  await page.click('.lesson-step.current .run-button');
  await waitForStep(page, 'hello', 'done');
  await waitForStep(page, 'again', 'current');
  const terminal = await page.locator('#terminal').innerText();
  if (!terminal.includes('root@tidepool:~# docker run hello-world') || !terminal.includes('Hello from Docker!')) {
    throw new Error(`the run button did not run the command:\n${terminal}`);
  }
  await screenshot(page, 'step-done');

  // A command that does not complete the step says what is missing.
  await page.keyboard.type('docker ps');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.step-missing');
  const missing = await page.textContent('.step-missing');
  if (!missing.includes('There is only one hello-world container so far')) {
    throw new Error(`missing: ${missing}`);
  }

  await page.click('.hint-button');
  const hint = await page.textContent('.hint');
  if (!hint.includes('docker ps')) throw new Error(`hint: ${hint}`);

  if ((await page.locator('.solution').count()) !== 0) throw new Error('solution shown unasked');
  await page.click('.solution-button');
  await page.waitForSelector('.solution-confirm');
  await page.click('.solution-yes');
  const solution = await page.textContent('.solution pre');
  if (solution !== 'docker run hello-world\ndocker ps -a') throw new Error(`solution: ${JSON.stringify(solution)}`);

  // Running the solution from its own button completes the step.
  await page.click('.solution .run-button');
  await waitForStep(page, 'again', 'done');
  await waitForStep(page, 'client-server', 'current');

  // The keyboard is back in the terminal after a run button.
  await page.keyboard.type('docker run --name greeter hello-world');
  await page.keyboard.press('Enter');
  await waitForStep(page, 'client-server', 'done');
  await page.waitForSelector('.lesson-complete');
  const option = await page.textContent('#lesson-select option[value="hello"]');
  if (!option.endsWith('✓')) throw new Error(`lesson list: ${option}`);

  await page.selectOption('#locale-select', 'ko');
  await page.waitForFunction(() => document.querySelector('.lesson-title').textContent === '첫 번째 컨테이너');
  const steps = await page.$$eval('.lesson-step .step-title', (els) => els.map((el) => el.textContent));
  if (!steps[0].includes('단계 1. 인사해 보기')) throw new Error(`Korean steps: ${steps}`);
  await screenshot(page, 'korean');
  await page.close();
}
