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
import { execFileSync } from 'node:child_process';
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
