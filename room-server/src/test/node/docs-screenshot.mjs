// Renders docs/room.png: a room with two members at work. Not a test; run it against a server:
// node docs-screenshot.mjs http://127.0.0.1:7700 ../../../../docs/room.png
import { chromium } from 'playwright-core';

const [base, out] = process.argv.slice(2);
const SCRIPT = `INT. HARBOUR DINER - NIGHT

Rain hammers the windows. Neon buzzes over an empty counter. MAYA (40s), apron, sleeves rolled, wipes the same spot twice.

The bell over the door rings. A soaked STRANGER steps in, dripping on the linoleum.

MAYA
(not looking up)
We close at midnight.

STRANGER
I saw the light was still on.

MAYA
Light's always on. Doesn't mean we're open.

[[Keep the stranger's face out of frame until the pier.]]

She finally looks up. Something in his face stops her.

CUT TO:

EXT. PIER - CONTINUOUS

Waves slam the pilings. A single lantern swings on a hook.
`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu'],
});
try {
  const a = await (await browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage();
  await a.goto(base + '/');
  await a.fill('#create-form input[name="name"]', 'Harbour Lights \u2014 Ep. 101 \u201cLast Orders\u201d');
  await a.fill('#create-form input[name="showrunnerName"]', 'Maya Okafor');
  await a.click('#create-form button[type="submit"]');
  await a.waitForSelector('.conn[data-state="live"]');
  await a.click('.cm-content');
  await a.keyboard.insertText(SCRIPT);

  await a.click('#invite-button');
  await a.selectOption('.invite-dialog select', 'writer');
  await a.click('.invite-dialog button.primary');
  const link = await (await a.waitForSelector('.invite-dialog input')).inputValue();
  await a.click('.invite-dialog button.ghost:has-text("Close")');

  const b = await (await browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage();
  await b.goto(link);
  await b.fill('#join-form input[name="displayName"]', 'Ben Adler');
  await b.click('#join-form button[type="submit"]');
  await b.waitForSelector('.conn[data-state="live"]');
  // the writer selects Maya's second line; the showrunner's cursor rests in the action
  await b.click('.cm-line:has-text("Light\'s always on")');
  await b.keyboard.press('Home');
  await b.keyboard.press('Shift+End');
  await a.click('.cm-line:has-text("She finally looks up")');
  await a.keyboard.press('End');
  await a.waitForSelector('.cm-ySelectionInfo:has-text("Ben Adler")');
  await a.click('.cm-line:has-text("We close at midnight")');
  await a.keyboard.press('Home');
  await a.keyboard.press('Shift+End');
  await a.selectOption('#ai-task', 'punch_up');
  await a.fill('#ai-instruction', 'Colder, fewer words.');
  await a.waitForTimeout(500);
  await a.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}
