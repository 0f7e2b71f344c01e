// End-to-end test of the web client in real Chromium (Debian's, headless), driven by
// playwright-core, against a running Roomtone server.
// Usage: node browser-room.mjs <server-url> <output-dir>
// Writes screenshots of each step and result.json (room id and the text both editors ended with)
// into <output-dir>; the JUnit test compares that text with the server's document.
import { chromium } from 'playwright-core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [base, out] = process.argv.slice(2);
if (!base || !out) {
  console.error('usage: node browser-room.mjs <server-url> <output-dir>');
  process.exit(2);
}
mkdirSync(out, { recursive: true });

const WAIT = 20_000;
const consoleErrors = [];
let step = 0;

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function shot(page, name) {
  step++;
  const file = join(out, `${String(step).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file });
  console.log(`screenshot ${file}`);
}

function watch(page, who) {
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(`${who}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => consoleErrors.push(`${who}: uncaught ${err.message}`));
}

/** The editor's text, read from CodeMirror's own state (the DOM also holds cursor labels). */
function editorText(page) {
  // what EditorView.findFromDOM does, from outside the bundle
  return page.evaluate(() => {
    const content = document.querySelector('.cm-content');
    const view = content.cmTile?.root?.view ?? content.cmView?.view;
    return view.state.doc.toString();
  });
}

async function waitLive(page) {
  await page.waitForSelector('.conn[data-state="live"]', { timeout: WAIT });
}

async function waitForText(page, predicate, what) {
  const deadline = Date.now() + WAIT;
  let text = '';
  while (Date.now() < deadline) {
    text = await editorText(page);
    if (predicate(text)) return text;
    await page.waitForTimeout(100);
  }
  throw new Error(`timed out waiting for ${what}; text is ${JSON.stringify(text)}`);
}

async function converge(pages, what) {
  const deadline = Date.now() + WAIT;
  let texts = [];
  while (Date.now() < deadline) {
    texts = await Promise.all(pages.map(editorText));
    if (texts.every((t) => t === texts[0])) return texts[0];
    await pages[0].waitForTimeout(150);
  }
  throw new Error(`${what}: editors did not converge: ${JSON.stringify(texts)}`);
}

async function lineKinds(page) {
  return page.$$eval('.cm-line', (lines) => lines.map((l) => l.dataset.kind ?? ''));
}

async function endOfScript(page) {
  await page.click('.cm-content');
  await page.keyboard.press('Control+End');
}

async function invite(page, role) {
  await page.click('#invite-button');
  await page.selectOption('.invite-dialog select', role);
  await page.click('.invite-dialog button.primary');
  const link = await page.waitForSelector('.invite-dialog input', { timeout: WAIT });
  const value = await link.inputValue();
  await page.click('.invite-dialog button.ghost:has-text("Close")');
  return value;
}

async function fitsViewport(page, label) {
  const m = await page.evaluate(() => {
    const box = (s) => { const r = document.querySelector(s)?.getBoundingClientRect(); return r ? { x: r.x, y: r.y, w: r.width, h: r.height } : null; };
    return { vw: innerWidth, vh: innerHeight, sw: document.documentElement.scrollWidth, sh: document.documentElement.scrollHeight,
      page: box('.page'), nav: box('.sidebar'), right: box('.rightbar'), top: box('.topbar'), content: box('.cm-content') };
  });
  check(m.sw <= m.vw && m.sh <= m.vh, `${label}: the page scrolls (${m.sw}x${m.sh} in ${m.vw}x${m.vh})`);
  for (const k of ['page', 'nav', 'right', 'top']) {
    check(m[k] && m[k].w > 100 && m[k].x >= 0 && m[k].x + m[k].w <= m.vw + 1, `${label}: ${k} is not fully visible: ${JSON.stringify(m[k])}`);
  }
  // the script column keeps its 60 characters: the editor content is not squeezed
  check(m.content.w >= 500, `${label}: the script column is too narrow (${m.content.w}px)`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu'],
});
const result = {};
try {
  // ---- 1. the showrunner creates a room from the landing page (1280x800)
  const ctxA = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const a = await ctxA.newPage();
  watch(a, 'showrunner');
  await a.goto(base + '/');
  await a.waitForSelector('#health[data-state="ok"]', { timeout: WAIT });
  await shot(a, 'landing');
  await a.fill('#create-form input[name="name"]', 'Harbour Lights \u2014 101');
  await a.fill('#create-form input[name="showrunnerName"]', 'Maya Okafor');
  await a.click('#create-form button[type="submit"]');
  await a.waitForURL(/\/rooms\/[^/#]+$/, { timeout: WAIT });
  await waitLive(a);
  check(!a.url().includes('token='), 'the member token stays in the address bar');
  result.roomId = new URL(a.url()).pathname.split('/')[2];
  check((await a.textContent('.role-badge')) === 'showrunner', 'the creator is not shown as showrunner');

  // ---- 2. screenplay keys: Enter and Tab give scene heading, action, character, dialogue
  await a.click('.cm-content');
  await a.keyboard.type('INT. HARBOUR DINER - NIGHT');
  await a.keyboard.press('Enter');
  await a.keyboard.type('Rain hammers the windows. MAYA (40s) wipes the counter.');
  await a.keyboard.press('Enter');
  await a.keyboard.press('Tab');
  await a.keyboard.type('maya');
  await a.keyboard.press('Enter');
  await a.keyboard.press('Tab');
  await a.keyboard.type('not looking up');
  await a.keyboard.press('End');
  await a.keyboard.press('Enter');
  await a.keyboard.type('We close at midnight.');
  await a.keyboard.press('Enter');
  let text = await editorText(a);
  check(text === 'INT. HARBOUR DINER - NIGHT\n\nRain hammers the windows. MAYA (40s) wipes the counter.\n\nMAYA\n(not looking up)\nWe close at midnight.\n\n',
    `Enter/Tab did not produce the expected Fountain: ${JSON.stringify(text)}`);
  let kinds = await lineKinds(a);
  check(kinds[0] === 'scene' && kinds[2] === 'action' && kinds[4] === 'character' && kinds[5] === 'parenthetical' && kinds[6] === 'dialogue',
    `layout classes are wrong: ${kinds.join(',')}`);
  const cue = await a.$eval('.cm-line[data-kind="character"]', (el) => parseFloat(getComputedStyle(el).paddingLeft));
  const dialogue = await a.$eval('.cm-line[data-kind="dialogue"]', (el) => parseFloat(getComputedStyle(el).paddingLeft));
  check(cue > dialogue && dialogue > 0, `cue (${cue}px) and dialogue (${dialogue}px) are not indented like a screenplay`);
  await a.waitForSelector('button.scene:has-text("INT. HARBOUR DINER - NIGHT")', { timeout: WAIT });
  await shot(a, 'screenplay-layout');

  // ---- 3. a writer joins through an invite link (1920x1080)
  const writerLink = await invite(a, 'writer');
  check(writerLink.includes('/join#code='), `unexpected invite link ${writerLink}`);
  const ctxB = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const b = await ctxB.newPage();
  watch(b, 'writer');
  await b.goto(writerLink);
  await b.fill('#join-form input[name="displayName"]', 'Ben Adler');
  await shot(b, 'join');
  await b.click('#join-form button[type="submit"]');
  await waitLive(b);
  await waitForText(b, (t) => t.includes('We close at midnight.'), 'the writer to receive the script');
  await a.waitForSelector('.roster .person:has-text("Ben Adler")', { timeout: WAIT });
  // the writer's scene navigator lists the heading the showrunner typed, and jumps to it
  await b.click('button.scene:has-text("INT. HARBOUR DINER - NIGHT")', { timeout: WAIT });
  const headLine = await b.evaluate(() => {
    const content = document.querySelector('.cm-content');
    const view = content.cmTile?.root?.view ?? content.cmView?.view;
    return view.state.doc.lineAt(view.state.selection.main.head).number;
  });
  check(headLine === 1, `the scene navigator jumped to line ${headLine}, not the heading`);
  await b.waitForSelector('.roster .person:has-text("Maya Okafor")', { timeout: WAIT });

  // ---- 4. both type concurrently into the same scene: the showrunner at its end, the writer
  // inside Maya's speech
  await endOfScript(a);
  await b.click('.cm-line[data-kind="dialogue"]');
  await b.keyboard.press('End');
  await Promise.all([
    a.keyboard.type('The door swings open. A soaked STRANGER steps in, dripping.\nSTRANGER\nI saw the light was still on.', { delay: 15 }),
    b.keyboard.type(' Kitchen\'s closed.', { delay: 25 }),
    // the roster shows who is typing (the flag lasts 1.5 s after the last key)
    a.waitForSelector('.roster .person[data-typing="yes"]:has-text("Ben Adler")', { timeout: WAIT }),
  ]);
  text = await converge([a, b], 'concurrent typing');
  check(text.includes('We close at midnight. Kitchen\'s closed.') && text.includes('STRANGER\nI saw the light was still on.'),
    `an edit was lost: ${JSON.stringify(text)}`);
  // undo is per user: the showrunner's Ctrl+Z takes back her own words, not the writer's
  await b.waitForTimeout(700); // let the undo manager close the writer's last group
  await a.waitForTimeout(700);
  await endOfScript(a);
  await a.keyboard.type(' Thunder.');
  await b.click('.cm-line[data-kind="action"]');
  await b.keyboard.press('End');
  await b.keyboard.type(' Neon flickers.');
  await converge([a, b], 'before undo');
  await a.keyboard.press('Control+z');
  text = await converge([a, b], 'after undo');
  check(!text.includes('Thunder.') && text.includes('counter. Neon flickers.') && text.includes("Kitchen's closed.") && text.includes('A soaked STRANGER'),
    `undo was not per user: ${JSON.stringify(text)}`);
  await a.keyboard.press('Control+Shift+KeyZ');
  text = await converge([a, b], 'after redo');
  check(text.includes('Thunder.'), `redo did not bring the showrunner's words back: ${JSON.stringify(text)}`);


  // ---- 5. the other user's cursor, with name, is visible
  await b.click('.cm-line >> nth=2');
  await a.waitForSelector('.cm-ySelectionInfo:has-text("Ben Adler")', { timeout: WAIT });
  await b.waitForSelector('.cm-ySelectionInfo:has-text("Maya Okafor")', { timeout: WAIT });
  await shot(a, 'remote-cursor-1280');
  await shot(b, 'remote-cursor-1920');
  await fitsViewport(a, '1280x800');
  await fitsViewport(b, '1920x1080');

  // ---- 6. the writer goes offline, both keep writing, the writer comes back: converge
  await ctxB.setOffline(true);
  await b.waitForSelector('.conn[data-state="offline"]', { timeout: WAIT });
  await endOfScript(b);
  await b.keyboard.type('\nWritten offline on the train.');
  await endOfScript(a);
  await a.keyboard.type('\nMeanwhile, the kettle whistles.');
  await b.waitForSelector('.save-state:has-text("kept")', { timeout: WAIT });
  await shot(b, 'offline-editing');
  const offlineText = await editorText(b);
  check(offlineText.includes('Written offline on the train.') && !offlineText.includes('kettle'), 'the offline editor is not offline');
  await ctxB.setOffline(false);
  await waitLive(b);
  text = await converge([a, b], 'after reconnect');
  check(text.includes('Written offline on the train.') && text.includes('Meanwhile, the kettle whistles.'),
    `offline edits were lost: ${JSON.stringify(text)}`);
  await shot(b, 'reconnected');

  // ---- 7. a viewer sees the script and presence, cannot type, and is told so
  const viewerLink = await invite(a, 'viewer');
  const ctxC = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const c = await ctxC.newPage();
  watch(c, 'viewer');
  await c.goto(viewerLink);
  await c.fill('#join-form input[name="displayName"]', 'Studio Exec');
  await c.click('#join-form button[type="submit"]');
  await waitLive(c);
  await waitForText(c, (t) => t === text, 'the viewer to receive the script');
  check(await c.isVisible('.banner:has-text("viewer")'), 'the viewer is not told they are read-only');
  await c.click('.cm-content');
  await c.keyboard.type('VIEWER WAS HERE');
  await c.keyboard.press('Enter');
  await c.waitForSelector('.toast:has-text("Read-only")', { timeout: WAIT });
  check((await editorText(c)) === text, 'the viewer could change the text');
  check(await c.isDisabled('#ai-ask'), 'the viewer can ask the AI');
  check(!(await c.isVisible('#invite-button')) && !(await b.isVisible('#invite-button')) && (await a.isVisible('#invite-button')),
    'only the showrunner may see the Invite button');
  check((await c.$$('.toast:has-text("Read-only")')).length === 1, 'the same message is stacked several times');
  await a.waitForSelector('.roster .person:has-text("Studio Exec")', { timeout: WAIT });
  await shot(c, 'viewer-read-only');
  check((await editorText(a)) === text, 'a viewer keystroke reached the showrunner');

  // ---- 8. a link with a bad token: the server's refusal is shown, not a blank page
  const d = await ctxC.newPage();
  watch(d, 'stranger');
  await d.goto(`${base}/rooms/${result.roomId}#token=not-a-token`);
  const refused = await d.waitForSelector('.fatal:not([hidden]) .card', { timeout: WAIT });
  const refusedText = await refused.textContent();
  check(/token|sign/i.test(refusedText), `the refusal is not readable: ${refusedText}`);
  check(await d.isVisible('.conn[data-state="closed"]'), 'the connection is not shown as closed');
  await shot(d, 'bad-token-refused');
  await d.close();

  // ---- 9. the AI panel: the showrunner asks for a punch-up of a line, the in-process engine writes
  // it, and the finished job waits as a suggestion; a writer sees it but cannot decide; the
  // showrunner edits and approves it and the line changes in every editor
  await a.click('.cm-line[data-kind="dialogue"] >> nth=0', { clickCount: 3 });
  await a.waitForSelector('#ai-ask:not([disabled])', { timeout: WAIT });
  await a.selectOption('#ai-task', 'punch_up');
  await a.fill('#ai-instruction', 'Make it colder');
  await a.click('#ai-ask');
  await a.waitForSelector('.job[data-status="finished"]', { timeout: WAIT });
  check(await a.locator('.job').count() === 1, 'the accepted job shows as more than one card');
  const pending = 'article.suggestion[data-status="1"]';
  await a.waitForSelector(pending, { timeout: WAIT });
  await b.waitForSelector(pending, { timeout: WAIT });
  check(await b.locator(`${pending} button:has-text("Approve")`).count() === 0, 'a writer is offered Approve');
  await shot(a, 'suggestion-pending');
  // the tiny test model writes noise: the showrunner edits the proposal, then approves it
  const approvedLine = 'We lock up at midnight, sharp.';
  await a.click(`${pending} button:has-text("Edit & approve")`);
  await a.fill(`${pending} textarea.edit-proposal`, approvedLine);
  await a.click(`${pending} button:has-text("Approve")`);
  await waitForText(a, (t) => t.includes(approvedLine), 'the approved line in the showrunner\'s editor');
  await waitForText(b, (t) => t.includes(approvedLine), 'the approved line in the writer\'s editor');
  await a.waitForSelector('article.suggestion[data-status="2"]', { timeout: WAIT });
  await shot(a, 'suggestion-approved');

  result.text = await converge([a, b, c], 'final');
  check(consoleErrors.length === 0, `console errors:\n${consoleErrors.join('\n')}`);
  writeFileSync(join(out, 'result.json'), JSON.stringify(result));
  console.log('browser-room: all steps passed');
} catch (e) {
  console.error(`browser-room: FAILED at step ${step + 1}: ${e.stack ?? e}`);
  if (consoleErrors.length) console.error(`console errors:\n${consoleErrors.join('\n')}`);
  for (const ctx of browser.contexts()) {
    for (const [i, p] of ctx.pages().entries()) {
      await p.screenshot({ path: join(out, `failure-${browser.contexts().indexOf(ctx)}-${i}.png`) }).catch(() => {});
    }
  }
  process.exitCode = 1;
} finally {
  await browser.close();
}
