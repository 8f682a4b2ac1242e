// The dashboard check, in headless Chromium: the page at URL must show a row for every app
// in APPS (comma-separated); then this script kills the first app's process with SIGKILL
// and the page must show its restart — the row's restart count and a crash event — with no
// reload. Then: the first app's log lines reach the log tail; a restart button asks for the
// token (the server answers 401 without one), asks again when given a wrong one, and, given
// TOKEN, restarts the app; the page fits a 360 px wide screen. Saves a screenshot to SCREENSHOT.
//
// With --basic, the page is on a --public address and the browser holds TOKEN as its Basic
// credentials (user cxpm), as if typed into its own prompt: every row shows, the event and
// log streams (EventSource, which cannot send a bearer token) deliver, and a restart button
// restarts the app with no token dialog. Saves a screenshot to SCREENSHOT.
//
// usage: node browser.js [--basic] URL APPS TOKEN SCREENSHOT PROFILE_DIR [CHROMIUM]
const { chromium } = require('playwright-core');

const argv = process.argv.slice(2);
const basic = argv[0] === '--basic';
if (basic) argv.shift();
const [url, appList, token, screenshot, profileDir, executablePath = '/usr/bin/chromium'] = argv;
if (!url || !appList || !token || !screenshot || !profileDir) {
  console.error('usage: node browser.js [--basic] URL APPS TOKEN SCREENSHOT PROFILE_DIR [CHROMIUM]');
  process.exit(2);
}
const apps = appList.split(',');
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

function step(text) {
  console.log(`browser: ${text}`);
}

// The text of CELL (a class) in the row of process ID.
function cell(page, id, name) {
  return page.locator(`#processes tr[data-id="${id}"] .${name}`);
}

// The row's restart count rises above BEFORE and the page says the action was done.
async function restartByButton(page, id, before) {
  await page.waitForFunction(([rowId, count]) => {
    const row = document.querySelector(`#processes tr[data-id="${rowId}"]`);
    return row && Number(row.querySelector('.restarts').textContent) > count;
  }, [id, before]);
  await page.locator('#action-result', { hasText: 'done' }).waitFor();
}

// --basic: the browser answers the server's Basic challenge with TOKEN, so nothing of the
// page asks for it.
async function checkBasic(page) {
  step('every app has its row, online, through Basic credentials');
  for (const app of apps) {
    await page.locator(`#processes tr[data-name="${app}"][data-status="online"]`).first().waitFor();
  }
  step('the event and log streams deliver');
  await page.locator('#events li').first().waitFor();
  await page.selectOption('#log-app', apps[0]);
  await page.locator('#logs li').first().waitFor();

  step('restart restarts with no token dialog');
  const id = await page.locator(`#processes tr[data-name="${apps[0]}"]`).first().getAttribute('data-id');
  const before = Number(await cell(page, id, 'restarts').textContent());
  await page.click(`#processes tr[data-id="${id}"] button[data-action="restart"]`);
  // The page's dialog would wait for a person: the restart finishing shows it never opened.
  await restartByButton(page, id, before);
  if ((await page.locator('#token-dialog[open]').count()) !== 0) throw new Error('the token dialog opened');
  if ((await page.evaluate(() => sessionStorage.getItem('cxpm-token'))) !== null) {
    throw new Error('the page kept a token of its own');
  }
  await page.screenshot({ path: screenshot, fullPage: true });
  return { app: apps[0], id, restarts_before: before };
}

async function main() {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath, headless: true, args, viewport: { width: 1200, height: 900 }, timeout: launchTimeout,
    ...(basic ? { httpCredentials: { username: 'cxpm', password: token, origin: url } } : {}),
  });
  const errors = [];
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(timeout);
    page.on('pageerror', (error) => errors.push(error.message));
    // The page's own errors; a failed request is Chromium's message, and the 401 that asks
    // for the token is one the test provokes.
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        errors.push(message.text());
      }
    });
    await page.goto(`${url}/`);
    if (basic) {
      const result = await checkBasic(page);
      if (errors.length) throw new Error(`the page logged errors: ${errors.join('; ')}`);
      console.log(JSON.stringify(result));
      return;
    }

    step('every app has its row, online');
    for (const app of apps) {
      await page.locator(`#processes tr[data-name="${app}"][data-status="online"]`).first().waitFor();
    }
    const victim = page.locator(`#processes tr[data-name="${apps[0]}"]`).first();
    const id = await victim.getAttribute('data-id');
    const pid = Number(await cell(page, id, 'pid').textContent());
    const restarts = Number(await cell(page, id, 'restarts').textContent());
    if (!(pid > 0)) throw new Error(`the row of ${apps[0]} shows no pid`);

    // A mark in the page's own state: gone if the page were reloaded.
    await page.evaluate(() => { window.notReloaded = true; });
    step(`kill ${apps[0]}'s process ${pid}: its restart shows without a reload`);
    process.kill(pid, 'SIGKILL');
    await page.waitForFunction(([rowId, before, oldPid]) => {
      const row = document.querySelector(`#processes tr[data-id="${rowId}"]`);
      return row && Number(row.querySelector('.restarts').textContent) > before &&
        row.dataset.status === 'online' && row.querySelector('.pid').textContent !== String(oldPid);
    }, [id, restarts, pid]);
    await page.locator(`#events li[data-kind="crash"][data-app="${apps[0]}"]`).first().waitFor();
    if (!(await page.evaluate(() => window.notReloaded === true))) throw new Error('the page was reloaded');

    step(`${apps[0]}'s log lines reach the log tail`);
    await page.selectOption('#log-app', apps[0]);
    await page.locator('#logs li').first().waitFor();

    step('restart asks for the token, then restarts with it');
    const before = Number(await cell(page, id, 'restarts').textContent());
    await page.click(`#processes tr[data-id="${id}"] button[data-action="restart"]`);
    await page.locator('#token-dialog[open]').waitFor();
    await page.fill('#token', `${token}-wrong`);
    await page.click('#token-dialog button[value="ok"]');
    // A refused token is forgotten and asked for again.
    await page.locator('#token-dialog[open] #token-why', { hasText: 'refused' }).waitFor();
    await page.fill('#token', token);
    await page.click('#token-dialog button[value="ok"]');
    await restartByButton(page, id, before);
    if ((await page.evaluate(() => sessionStorage.getItem('cxpm-token'))) !== token) {
      throw new Error('the token is not kept in sessionStorage');
    }

    // Enough polls for the charts to draw a line, and the restart marks, before the picture.
    await page.waitForFunction(() => document.querySelectorAll('#charts polyline').length > 0 &&
      [...document.querySelectorAll('#charts polyline')].every(
        (line) => line.getAttribute('points').split(' ').length >= 4));
    await page.screenshot({ path: screenshot, fullPage: true });

    step('the page fits a 360 px wide screen');
    await page.setViewportSize({ width: 360, height: 740 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 0) throw new Error(`the page is ${overflow} px wider than a 360 px screen`);

    if (errors.length) throw new Error(`the page logged errors: ${errors.join('; ')}`);
    console.log(JSON.stringify({ app: apps[0], id, killed: pid, restarts_before: restarts }));
  } finally {
    await context.close();
  }
}

main().catch((error) => {
  console.error(`browser: FAIL: ${error.message}`);
  process.exit(1);
});
