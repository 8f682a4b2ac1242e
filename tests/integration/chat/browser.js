// The browser check: headless Chromium opens the chat page at URL in two pages (alice and
// bob, in ROOM); a message typed in alice's page must appear in bob's, and bob's answer in
// alice's. Saves a screenshot of bob's page to SCREENSHOT and prints which worker served
// each page. Chromium runs with a fresh profile in PROFILE_DIR.
//
// usage: node browser.js URL ROOM SCREENSHOT PROFILE_DIR [CHROMIUM]
const { chromium } = require('playwright-core');

const [url, room, screenshot, profileDir, executablePath = '/usr/bin/chromium'] =
  process.argv.slice(2);
if (!url || !room || !screenshot || !profileDir) {
  console.error('usage: node browser.js URL ROOM SCREENSHOT PROFILE_DIR [CHROMIUM]');
  process.exit(2);
}
const timeout = 15000; // for each step; the test's own deadline bounds the whole run
// Chromium's own start: on a loaded 2-CPU machine (the suite runs two tests at once) it has
// taken longer than a step is given.
const launchTimeout = 45000;

// Debian's chromium, headless, kept off the network: nothing but the page is fetched.
const args = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage',
];

async function open(context, name) {
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  page.on('pageerror', (error) => console.error(`browser: ${name}: page error: ${error.message}`));
  await page.goto(`${url}/?name=${name}&room=${room}`);
  await page.waitForSelector(`body[data-room="${room}"]`); // joined
  return page;
}

// say types TEXT in FROM's page and waits until TO's page shows it.
async function say(from, to, text) {
  await from.fill('#text', text);
  await from.press('#text', 'Enter');
  await to.locator('#messages li', { hasText: text }).waitFor();
}

async function main() {
  // A persistent context is how Playwright takes a profile directory of our choosing.
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath, headless: true, args, viewport: { width: 800, height: 450 }, timeout: launchTimeout,
  });
  try {
    const alice = await open(context, 'alice');
    const bob = await open(context, 'bob');
    await say(alice, bob, 'hello bob, from a headless chromium');
    await say(bob, alice, 'hi alice, it crossed the cluster');
    await bob.screenshot({ path: screenshot });
    const pid = (page) => page.evaluate(() => document.body.dataset.pid);
    const status = (page) => page.textContent('#status');
    console.log(JSON.stringify({
      alice: { pid: await pid(alice), status: await status(alice) },
      bob: { pid: await pid(bob), status: await status(bob) },
    }));
  } finally {
    await context.close();
  }
}

main().catch((error) => {
  console.error(`browser: ${error.message}`);
  process.exit(1);
});
