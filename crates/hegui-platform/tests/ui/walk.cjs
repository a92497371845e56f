// Walks the web UI in headless Chromium: log in, upload an APK with the progress bar,
// follow the scan to its report, the app page, the English switch and the dashboard.
// Usage: node walk.cjs BASE_URL USER PASSWORD APK SCREENSHOT_DIR
// Needs playwright-core on NODE_PATH and Chromium (CHROMIUM or /usr/bin/chromium).
'use strict';
const { chromium } = require('playwright-core');
const path = require('path');

const [base, user, password, apk, shots] = process.argv.slice(2);
const fail = (m) => { throw new Error(m); };

async function until(page, selector, seconds) {
  for (let i = 0; i < seconds * 2; i++) {
    if (await page.locator(selector).count() > 0) return;
    await page.waitForTimeout(500);
    // The scan page refreshes itself while queued or running; reload in case it did not.
    if (i % 6 === 5) await page.reload();
  }
  fail(`${selector} did not appear on ${page.url()}`);
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const shot = (name) => page.screenshot({ path: path.join(shots, name), fullPage: true });

  // Not logged in: the home page sends us to the login form (Chinese by default).
  await page.goto(base + '/');
  if (!page.url().endsWith('/login')) fail(`expected the login page, got ${page.url()}`);
  if ((await page.textContent('h1')) !== '登录') fail('the login page is not in Chinese');
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', 'wrong-password');
  await page.click('button[type=submit]');
  await page.waitForSelector('#login-error');
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForURL('**/dashboard');
  await shot('1-dashboard-empty.png');

  // Upload with progress; the page follows the new scan.
  await page.goto(base + '/scans');
  await page.setInputFiles('#upload-file', apk);
  const progress = [];
  await page.exposeFunction('hegui_progress', (v) => progress.push(v));
  await page.evaluate(() => {
    const bar = document.getElementById('upload-progress');
    new MutationObserver(() => window.hegui_progress(bar.value)).observe(bar, { attributes: true });
  });
  await page.click('#upload-button');
  await page.waitForURL(/\/scans\/\d+$/);
  await until(page, '#full-report', 120);
  const status = await page.textContent('#scan-status');
  if (status.trim() !== '已完成') fail(`scan status ${status}`);
  const app = await page.textContent('#scan-app');
  if (!app.includes('com.hegui.fixture.basic')) fail(`scan app ${app}`);
  const findings = await page.locator('#findings tr').count();
  if (findings < 5) fail(`only ${findings - 1} findings shown`);
  await shot('2-scan.png');

  // The full report, sandboxed.
  await page.click('#full-report');
  await page.waitForLoadState();
  const report = await page.content();
  if (!report.includes('com.hegui.fixture.basic')) fail('the full report does not name the app');
  await shot('3-report.png');
  await page.goBack();

  // The app page, then English.
  await page.click('#scan-app a');
  await page.waitForURL(/\/apps\/\d+$/);
  const versions = await page.locator('.version').count();
  if (versions !== 1) fail(`${versions} versions on the app page`);
  await page.click('#lang-switch');
  await page.waitForLoadState();
  if (!(await page.textContent('header')).includes('Dashboard')) fail('no English after the switch');
  await shot('4-app-en.png');

  // The dashboard counts the scan, by task and by SDK (English sticks).
  await page.goto(base + '/dashboard');
  const byTask = await page.textContent('#by-task');
  const bySdk = await page.textContent('#by-sdk');
  if (!byTask.includes('MIIT164-')) fail(`no notice-164 tasks on the dashboard: ${byTask}`);
  if (!bySdk.includes('umeng')) fail(`no SDKs on the dashboard: ${bySdk}`);
  await shot('5-dashboard.png');

  await browser.close();
  console.log(JSON.stringify({ ok: true, progress_events: progress.length, last_progress: progress[progress.length - 1] }));
})().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
