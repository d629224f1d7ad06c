// lib.mjs: what every browser test of kiemdiem serve shares.
//
// run.sh starts one server on a fresh demo database and passes its address
// (KD_URL), the database (KD_DB), the binary (KIEMDIEM) and where to put
// screenshots (KD_ARTIFACTS). Tests drive Debian's chromium through
// playwright-core; no browser is downloaded.
//
// Demo accounts: login = person code, password "demo-" + login (dv01 the
// bí thư, dv02 phó bí thư, dv03 chi ủy viên, dv04 dv11 dv18 dv25 tổ trưởng,
// the others members), and "captren" (cấp trên). A client address is
// throttled after 20 failed sign-ins in 15 minutes, and every test file
// shares the server: keep wrong passwords few.
import { chromium } from 'playwright-core';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const BASE = process.env.KD_URL ?? 'http://127.0.0.1:8080';
export const DB = process.env.KD_DB;
export const KIEMDIEM = process.env.KIEMDIEM;
export const ARTIFACTS = process.env.KD_ARTIFACTS ?? new URL('./artifacts', import.meta.url).pathname;

export const PHONE = { width: 360, height: 740 };

export function url(path) {
  return BASE + path;
}

// One browser per test file.
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// A fresh context (its own cookies) and page, a phone's width by default.
export async function newUser(browser, viewport = PHONE) {
  const context = await browser.newContext({ viewport, locale: 'vi-VN', baseURL: BASE });
  const page = await context.newPage();
  return { context, page };
}

// Sign in through the form; resolves once the page after it has loaded.
export async function login(page, user, password = `demo-${user}`, next = '') {
  await page.goto(url('/login' + (next ? `?next=${encodeURIComponent(next)}` : '')));
  await page.fill('#login', user);
  await page.fill('#password', password);
  await Promise.all([page.waitForLoadState('load'), page.click('form[action="/login"] button[type=submit]')]);
  return page;
}

// A signed-in user at the dashboard, in a context of its own.
export async function signedIn(browser, user, viewport = PHONE) {
  const u = await newUser(browser, viewport);
  await login(u.page, user);
  return u;
}

// Whether the page scrolls sideways (a 360-px phone must not).
export async function scrollsSideways(page) {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}

export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

// Run the kiemdiem command on the test database (e.g. to issue a code).
export function kiemdiem(...args) {
  return execFileSync(KIEMDIEM, [...args, '--db', DB], { encoding: 'utf8' });
}

// The text of the page's main content, spaces collapsed.
export async function mainText(page) {
  return (await page.locator('main').innerText()).replace(/\s+/g, ' ');
}

// ------------------------------------------------------------ servers of one's own
// For tests that change the campaign or pretend another day: `kiemdiem
// serve` on database `db`, on a free port (the address is read from its
// output), as if today were `today` (YYYY-MM-DD) when given. stop() ends it
// with SIGTERM and resolves to { code, signal, log }: a sanitizer build exits
// non-zero on a leak.
export async function startServer(db, { today, threads = 2 } = {}) {
  const args = ['serve', '--db', db, '--port', '0', '--threads', String(threads), '--quiet'];
  if (today)
    args.push('--today', today);
  const proc = spawn(KIEMDIEM, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stderr.on('data', d => { log += d; });
  const exited = new Promise(resolve => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const base = await new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', d => {
      out += d;
      const m = out.match(/http:\/\/[^\s]+/);
      if (m)
        resolve(m[0].replace(/\/$/, ''));
    });
    exited.then(r => reject(new Error(`kiemdiem serve exited (${r.code}): ${log}`)));
  });
  return {
    base,
    async stop() {
      proc.kill('SIGTERM');
      return { ...(await exited), log };
    },
  };
}

// A user signed in at server `base`, in a browser context of their own.
export async function signedInAt(browser, base, user, viewport = PHONE) {
  const context = await browser.newContext({ viewport, locale: 'vi-VN', baseURL: base });
  const page = await context.newPage();
  await page.goto('/login');
  await page.fill('#login', user);
  await page.fill('#password', `demo-${user}`);
  await Promise.all([
    page.waitForURL(u => !u.pathname.startsWith('/login')),
    page.click('form[action="/login"] button[type=submit]'),
  ]);
  return { context, page };
}

// A browser-less user's cookies, kept across requests to any server (two
// app processes share sessions): get(base, path) and post(base, path,
// fields) do not follow redirects; a cookie set with Max-Age=0 is dropped.
export function cookieClient() {
  const jar = new Map();
  const keep = res => {
    for (const c of res.headers.getSetCookie()) {
      const [kv] = c.split(';');
      const i = kv.indexOf('=');
      const [k, v] = [kv.slice(0, i), kv.slice(i + 1)];
      if (/max-age=0/i.test(c)) jar.delete(k); else jar.set(k, v);
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const answer = async res => {
    keep(res);
    return { status: res.status, text: await res.text(), location: res.headers.get('location') };
  };
  const get = async (base, path) =>
    answer(await fetch(base + path, { headers: { cookie: cookie() }, redirect: 'manual' }));
  const post = async (base, path, fields) => answer(await fetch(base + path, {
    method: 'POST', redirect: 'manual', body: new URLSearchParams(fields).toString(),
    headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
  }));
  return { get, post, jar };
}

// The token a page's forms carry.
export const csrfOf = html => html.match(/name="csrf" value="([^"]+)"/)[1];

// A client without a browser, signed in at `base` as `login` (demo
// password): get(path) and post(path, fields) keep its cookies and do not
// follow redirects; csrf(html) is the token a page's forms carry.
export async function httpClient(base, login, password = `demo-${login}`) {
  const u = cookieClient();
  const page = await u.get(base, '/login');
  const signed = await u.post(base, '/login', { csrf: csrfOf(page.text), login, password });
  if (signed.status !== 303 || (signed.location ?? '').startsWith('/login'))
    throw new Error(`${login} could not sign in at ${base}: ${signed.status} ${signed.location}`);
  return { get: path => u.get(base, path), post: (path, fields) => u.post(base, path, fields), csrf: csrfOf };
}

// Click a submit button (a selector or a locator); resolves to the
// response of the page it leads to.
export async function submit(page, locator) {
  const target = typeof locator === 'string' ? page.locator(locator) : locator;
  const [res] = await Promise.all([page.waitForNavigation(), target.click()]);
  return res;
}

// A screenshot of one part of a page (a long page's full screenshot is
// too tall to read): `locator` is a Playwright locator.
export async function screenshotOf(locator, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await locator.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}
