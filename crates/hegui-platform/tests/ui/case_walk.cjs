// Walks a rectification case through the web UI in headless Chromium, in Chinese: the
// bureau opens a case from the app page and notifies the operator; the operator reads the
// message, acknowledges, hands in the rectified version with a statement; the automatic
// re-test sorts the findings; the bureau escalates to a public notice; the clue page shows
// the month's due date; the bureau attaches its decision, drafts a public notice that a
// second bureau user publishes; a member of the public files a complaint that the bureau
// accepts.
// Usage: node case_walk.cjs BASE_URL APP_ID REGULATOR PASSWORD OPERATOR PASSWORD V2_APK
//        SCREENSHOT_DIR REVIEWER PASSWORD DECISION_FILE
'use strict';
const { chromium } = require('playwright-core');
const path = require('path');

const [base, appId, reg, regPassword, op, opPassword, v2, shots, reviewer, reviewerPassword, decision] =
  process.argv.slice(2);
const fail = (m) => { throw new Error(m); };

async function login(browser, user, password) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(base + '/login');
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForURL('**/dashboard');
  return page;
}

async function text(page, selector) {
  return (await page.textContent(selector) || '').trim();
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  const shot = (page, name) => page.screenshot({ path: path.join(shots, name), fullPage: true });

  // The bureau opens a case from the app page, then notifies the operator.
  const bureau = await login(browser, reg, regPassword);
  await bureau.goto(`${base}/apps/${appId}`);
  await bureau.click('form.open-case button');
  await bureau.waitForURL(/\/cases\/\d+$/);
  const caseUrl = bureau.url();
  if ((await text(bureau, '#case-state')) !== '已立案') fail('a new case is not 已立案');
  await shot(bureau, 'case-1-opened.png');
  await bureau.click('#move-notified');
  await bureau.waitForLoadState();
  if ((await text(bureau, '#case-state')) !== '已通知整改') fail('not notified');
  const deadline = await text(bureau, '#case-deadline');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(deadline)) fail(`deadline ${deadline}`);
  await shot(bureau, 'case-2-notified.png');

  // The operator: the message, the case list, acknowledging, the rectified version.
  const operator = await login(browser, op, opPassword);
  await operator.goto(base + '/messages');
  const inbox = await text(operator, '#messages');
  if (!inbox.includes('整改通知') || !inbox.includes(deadline)) fail(`inbox: ${inbox}`);
  await shot(operator, 'case-3-operator-messages.png');
  await operator.goto(base + '/cases');
  await operator.click('.case-row a');
  await operator.waitForURL(/\/cases\/\d+$/);
  if (await operator.locator('#escalate').count() > 0) fail('the operator is offered escalation');
  await operator.click('#move-rectifying');
  await operator.waitForLoadState();
  if ((await text(operator, '#case-state')) !== '整改中') fail('not rectifying');
  await operator.setInputFiles('#rectify-file', v2);
  await operator.fill('#rectify-statement', '已删除违规调用设备标识的代码，并更新隐私政策。');
  await operator.click('#rectify-button');
  // The page reloads itself once the upload is accepted.
  await operator.waitForSelector('#rectify-form', { state: 'detached', timeout: 60000 }).catch(async () => {
    fail(`the upload was refused: ${await text(operator, '#rectify-error')}`);
  });
  let outcome = '';
  for (let i = 0; i < 120 && outcome !== 'compared'; i++) {
    await operator.waitForTimeout(500);
    await operator.reload();
    if (await operator.locator('#case-submissions .outcome').count() > 0) {
      outcome = await operator.getAttribute('#case-submissions .outcome', 'data-outcome');
    }
  }
  if (outcome !== 'compared') fail('the rectified version was not re-tested');
  if ((await text(operator, '#case-state')) !== '待复测') fail('not in re-test');
  await shot(operator, 'case-4-operator-retested.png');

  // The bureau sees what was fixed and what remains, and escalates to a public notice.
  await bureau.goto(caseUrl);
  const findings = await text(bureau, '#case-findings');
  const fixed = await bureau.locator('#case-findings td.st-fixed:not(:empty)').count();
  const remaining = await bureau.locator('#case-findings td.st-remaining:not(:empty)').count();
  if (fixed < 1 || remaining < 1) fail(`findings: ${findings}`);
  await shot(bureau, 'case-5-bureau-retest.png');
  await bureau.fill('#escalate-reference', '浙通信管函〔2026〕12号');
  await bureau.click('#escalate-button');
  await bureau.waitForLoadState();
  if ((await text(bureau, '#case-state')) !== '已升级处置') fail('not escalated');
  const steps = await text(bureau, '#case-escalations');
  if (!steps.includes('公开通报') || !steps.includes('浙通信管函〔2026〕12号')) fail(`steps: ${steps}`);
  // The decision of that step, attached to it.
  await bureau.selectOption('#attach-kind', 'decision');
  await bureau.setInputFiles('#attach-file', decision);
  await bureau.click('#attach-button');
  await bureau.waitForFunction(() => document.querySelectorAll('#case-documents li').length > 0);
  const documents = await text(bureau, '#case-documents');
  if (!documents.includes('处置决定书') || !documents.includes('公开通报')) fail(`documents: ${documents}`);
  await shot(bureau, 'case-6-escalated.png');

  // A public notice: drafted by this user, refused to them, published by a reviewer.
  await bureau.goto(base + '/notices');
  await bureau.fill('#notice-title-input', '关于侵害用户权益行为的App的通报（2026年第1批）');
  await bureau.click('#notice-draft');
  await bureau.waitForURL(/\/notices\/\d+\/preview$/);
  const noticeUrl = bureau.url();
  if (!(await text(bureau, '#notice-items')).includes('甲公司')) fail('the notice lacks the operator');
  await bureau.click('#notice-publish');
  await bureau.waitForLoadState();
  if (!(await bureau.content()).includes('other than its author')) fail('the author published alone');
  const second = await login(browser, reviewer, reviewerPassword);
  await second.goto(noticeUrl);
  await second.click('#notice-publish');
  await second.waitForLoadState();
  if (await second.locator('.draft').count() > 0) fail('the notice is still a draft');
  const publicUrl = noticeUrl.replace(/\/preview$/, '');
  const anonymous = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await anonymous.goto(publicUrl);
  if ((await text(anonymous, '#notice-authority')) !== '浙江省通信管理局') fail('no issuing authority');
  await shot(anonymous, 'case-8-notice-printable.png');

  // The public complains (no account); the bureau accepts it in triage.
  await anonymous.goto(base + '/complaints');
  const question = await text(anonymous, '#question');
  const [a, b] = question.replace(' = ?', '').split(' + ').map(Number);
  await anonymous.fill('input[name=app_name]', '合规样例');
  await anonymous.selectOption('select[name=problem]', 'forced-permission');
  await anonymous.fill('textarea[name=description]', '不同意读取通讯录就无法使用。');
  await anonymous.fill('input[name=answer]', String(a + b));
  await anonymous.click('button[type=submit]');
  await anonymous.waitForSelector('#reference');
  const reference = await text(anonymous, '#reference');
  await shot(anonymous, 'case-9-complaint-filed.png');
  await bureau.goto(base + '/triage');
  if (!(await text(bureau, '.complaint')).includes(reference)) fail('the complaint is not in triage');
  await bureau.selectOption('.complaint select[name=status]', 'accepted');
  await bureau.fill('.complaint input[name=app_id]', appId);
  await bureau.click('.complaint button[type=submit]');
  await bureau.waitForLoadState();
  await shot(bureau, 'case-10-triage.png');
  await anonymous.goto(`${base}/complaints/status?reference=${reference}`);
  if (!(await text(anonymous, '#complaint-status')).includes('已立案处理')) fail('status not accepted');

  // The clue page: this period's due date, said in words.
  await bureau.goto(base + '/clues');
  const note = await text(bureau, '#clue-due-note');
  if (!note.includes('截止日')) fail(`clue due note: ${note}`);
  await shot(bureau, 'case-7-clues.png');

  await browser.close();
  console.log(JSON.stringify({ ok: true, deadline, case: caseUrl }));
})().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
