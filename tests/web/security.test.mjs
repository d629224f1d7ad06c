// Sign-in, sign-out, roles, CSRF, limits and headers of kiemdiem serve,
// as a user (or an attacker) would meet them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, newUser, signedIn, login, url, screenshot, scrollsSideways, mainText, kiemdiem,
} from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('every page carries the security headers', async () => {
  for (const path of ['/login', '/', '/static/style.css?v=1', '/nope']) {
    const res = await fetch(url(path), { redirect: 'manual' });
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/, path);
    assert.match(csp, /frame-ancestors 'none'/, path);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
    assert.equal(res.headers.get('referrer-policy'), 'same-origin', path);
  }
});

test('signed out, a page sends you to sign in and back to it afterwards', async () => {
  const { context, page } = await newUser(browser);
  await page.goto(url('/audit'));
  assert.match(page.url(), /\/login\?next=%2Faudit|\/login\?next=\/audit/);
  await page.fill('#login', 'dv01');
  await page.fill('#password', 'demo-dv01');
  await Promise.all([page.waitForURL(url('/audit')), page.click('main button[type=submit]')]);
  assert.equal(await page.locator('h1').innerText(), 'Nhật ký thay đổi');
  await context.close();
});

test('a wrong password is refused, the right one signs in', async () => {
  const { context, page } = await newUser(browser);
  await login(page, 'dv06', 'not-the-password');
  assert.ok(page.url().startsWith(url('/login')), 'still on the sign-in page');
  assert.match(await mainText(page), /sai|không đúng/i);
  assert.equal(await page.inputValue('#password'), '', 'the password typed is not sent back');
  const cookies = await context.cookies();
  assert.ok(!cookies.some(c => c.name === 'kd_session'), 'no session cookie');

  await login(page, 'dv06');
  assert.equal(page.url(), url('/'));
  assert.match(await page.locator('header').innerText(), /Đăng xuất/);
  const session = (await context.cookies()).find(c => c.name === 'kd_session');
  assert.ok(session, 'a session cookie');
  assert.equal(session.httpOnly, true);
  assert.ok(['Lax', 'Strict'].includes(session.sameSite));
  assert.equal(session.path, '/');
  await context.close();
});

test('after 5 wrong passwords the account is throttled, even with the right one', async () => {
  const { context, page } = await newUser(browser);
  for (let i = 0; i < 5; i++)
    await login(page, 'dv30', `wrong-${i}`);
  await login(page, 'dv30');
  assert.ok(page.url().startsWith(url('/login')), 'not signed in');
  assert.match(await mainText(page), /thử lại sau/);
  await screenshot(page, 'login-throttled');
  await context.close();
});

test('signing out ends the session', async () => {
  const { context, page } = await signedIn(browser, 'dv07');
  const token = (await context.cookies()).find(c => c.name === 'kd_session').value;
  await Promise.all([page.waitForURL(/\/login/), page.click('header button:has-text("Đăng xuất")')]);
  assert.match(await mainText(page), /Đã đăng xuất/);
  await page.goto(url('/'));
  assert.match(page.url(), /\/login/);
  // The old cookie, replayed, no longer works either.
  const res = await fetch(url('/'), { redirect: 'manual', headers: { cookie: `kd_session=${token}` } });
  assert.equal(res.status, 303);
  assert.match(res.headers.get('location'), /^\/login/);
  await context.close();
});

test('a form sent without its CSRF token is refused with 403', async () => {
  const { context, page } = await signedIn(browser, 'dv08');
  await page.goto(url('/password'));
  await page.evaluate(() => document.querySelector('main form input[name=csrf]').remove());
  await page.fill('#old_password', 'demo-dv08');
  await page.fill('#new_password', 'a-new-password-1');
  await page.fill('#confirm', 'a-new-password-1');
  const [res] = await Promise.all([page.waitForResponse(r => r.request().method() === 'POST'),
    page.click('main button[type=submit]')]);
  assert.equal(res.status(), 403);
  assert.match(await mainText(page), /chống giả mạo/);
  // A token from another session is no better.
  const other = await fetch(url('/password'), {
    method: 'POST', redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: (await context.cookies()).map(c => `${c.name}=${c.value}`).join('; '),
    },
    body: 'csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&old_password=demo-dv08&new_password=x1234567&confirm=x1234567',
  });
  assert.equal(other.status, 403);
  // The password did not change: it still signs in.
  await context.close();
  const again = await signedIn(browser, 'dv08');
  assert.equal(again.page.url(), url('/'));
  await again.context.close();
});

test('a member cannot open another member\'s review or the audit log', async () => {
  const { context, page } = await signedIn(browser, 'dv09');
  for (const path of ['/reviews/dv02', '/audit', '/upper']) {
    const res = await page.goto(url(path));
    assert.equal(res.status(), 403, path);
    assert.equal(await page.locator('h1').innerText(), 'Không có quyền truy cập');
  }
  const nav = await page.locator('nav').innerText();
  assert.doesNotMatch(nav, /Nhật ký thay đổi/, 'the bar offers only what the member may open');
  await context.close();
});

test('a 300 KB form is refused with 413', async () => {
  const body = 'csrf=x&text=' + 'a'.repeat(300 * 1024);
  const res = await fetch(url('/login'), {
    method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(res.status, 413);
  assert.match(await res.text(), /quá lớn/);
});

test('the dashboard fits a 360-px phone: no sideways scrolling', async () => {
  for (const user of ['dv01', 'dv04', 'dv10', 'captren']) {
    const { context, page } = await signedIn(browser, user);
    assert.equal(page.url(), url('/'), user);
    assert.equal(await scrollsSideways(page), false, `${user}: the page scrolls sideways`);
    await screenshot(page, `dashboard-${user}-360`);
    await context.close();
  }
});

test('the bí thư sees every blocking item linked to the page that fixes it', async () => {
  const { context, page } = await signedIn(browser, 'dv01');
  const text = await mainText(page);
  assert.match(text, /Việc cần xử lý trước bước tiếp theo \(\d+\)/);
  assert.match(text, /Tiến độ theo tổ đảng/);
  assert.match(text, /Hôm nay/);
  const fix = page.locator('.findings a').first();
  if (await fix.count()) {
    const href = await fix.getAttribute('href');
    assert.match(href, /^\/(review|reviews\/|report|meetings|results)/);
  }
  await context.close();
});

test('the main pages fit a phone and the keyboard reaches the links', async () => {
  const { context, page } = await signedIn(browser, 'dv01');
  for (const [path, name] of [['/', 'dashboard'], ['/audit', 'audit'], ['/upper', 'upper'],
    ['/password', 'password'], ['/review', 'review'], ['/reviews', 'reviews'], ['/report', 'report'],
    ['/meetings', 'meetings'], ['/results', 'results']]) {
    const res = await page.goto(url(path));
    await screenshot(page, `${name}-360`);
    if (['/', '/audit', '/upper', '/password'].includes(path)) {
      assert.equal(res.status(), 200, path);
      assert.equal(await scrollsSideways(page), false, `${path} scrolls sideways`);
    }
  }
  await page.goto(url('/'));
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Bỏ qua thanh điều hướng');
  await context.close();
  const anon = await newUser(browser);
  await anon.page.goto(url('/login'));
  await screenshot(anon.page, 'login-360');
  assert.equal(await scrollsSideways(anon.page), false);
  await anon.context.close();
});

test('a one-time code sets the password and signs in', async () => {
  const out = kiemdiem('user', 'code', 'dv31');
  const code = out.match(/[2-9A-HJ-NP-Z]{8}/)[0];
  const { context, page } = await newUser(browser);
  await page.goto(url('/code'));
  await page.fill('#login', 'dv31');
  await page.fill('#code', code.toLowerCase());
  await page.fill('#new_password', 'mat-khau-moi-31');
  await page.fill('#confirm', 'mat-khau-moi-31');
  await Promise.all([page.waitForURL(url('/')), page.click('main button[type=submit]')]);
  assert.match(await mainText(page), /Đã đặt mật khẩu/);
  await context.close();
  // The code is spent; the new password works.
  const again = await newUser(browser);
  await login(again.page, 'dv31', 'mat-khau-moi-31');
  assert.equal(again.page.url(), url('/'));
  await again.context.close();
});

test('a password set by someone else must be changed first', async () => {
  const { execFileSync } = await import('node:child_process');
  execFileSync(process.env.KIEMDIEM, ['user', 'passwd', 'dv32', '--db', process.env.KD_DB],
    { input: 'tam-thoi-32\n' });
  const { context, page } = await newUser(browser);
  await login(page, 'dv32', 'tam-thoi-32');
  assert.equal(page.url(), url('/password'));
  await page.goto(url('/'));
  assert.equal(page.url(), url('/password'), 'every page leads to the change');
  await page.fill('#old_password', 'tam-thoi-32');
  await page.fill('#new_password', 'rieng-cua-toi-32');
  await page.fill('#confirm', 'rieng-cua-toi-32');
  await Promise.all([page.waitForURL(url('/')), page.click('main button[type=submit]')]);
  assert.match(await mainText(page), /Đã đổi mật khẩu/);
  await context.close();
});

test('documents: a member gets their own review, not another\'s; the upper level the dossier', async () => {
  const cookieOf = async ctx => (await ctx.cookies()).map(c => `${c.name}=${c.value}`).join('; ');
  const member = await signedIn(browser, 'dv12');
  const own = await fetch(url('/docs/review?member=own'), { headers: { cookie: await cookieOf(member.context) } });
  assert.equal(own.status, 200);
  assert.equal(own.headers.get('content-type'), 'application/pdf');
  assert.match(own.headers.get('content-disposition'), /attachment; filename="review-dv12-\d{4}\.pdf"/);
  assert.equal(Buffer.from(await own.arrayBuffer()).subarray(0, 5).toString(), '%PDF-');
  const other = await fetch(url('/docs/review?member=dv13'), { headers: { cookie: await cookieOf(member.context) } });
  assert.equal(other.status, 403);
  const dossier = await fetch(url('/docs/dossier'), { headers: { cookie: await cookieOf(member.context) } });
  assert.equal(dossier.status, 403);
  await member.context.close();

  const upper = await signedIn(browser, 'captren');
  await upper.page.goto(url('/upper'));
  assert.match(await mainText(upper.page), /Tải hồ sơ/);
  const zip = await fetch(url('/docs/dossier'), { headers: { cookie: await cookieOf(upper.context) } });
  assert.equal(zip.status, 200);
  assert.equal(zip.headers.get('content-type'), 'application/zip');
  assert.equal(Buffer.from(await zip.arrayBuffer()).subarray(0, 2).toString(), 'PK');
  await upper.context.close();
});
