// The web interface on a database of many cells (issue 6): an upper
// account sees its own organization's roll-up, drills down to a cell and
// its documents, and nothing outside its subtree; members and secretaries
// each work in their own cell and never see or change another's.
//
// A country of its own, made by `kiemdiem gen` (on SQLite, or on run.sh's
// PostgreSQL server when it has one), served by a server of its own;
// expected figures come from `kiemdiem rollup --json` and `kiemdiem
// export json --cell`, never written into the test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, startServer, signedInAt, httpClient, csrfOf, screenshot, KIEMDIEM } from './lib.mjs';

const RATINGS = ['HTXSNV', 'HTTNV', 'HTNV', 'KHTNV'];
const dir = mkdtempSync(join(tmpdir(), 'kd-upper-'));
// On the PostgreSQL server of run.sh when it has one (web/browser-pg).
const PG = process.env.KD_PG_HOST;
const pgName = `kd_upper_${process.pid}_${Date.now()}`;
const psql = sql => execFileSync('psql', ['-h', PG, '-U', 'postgres', '-d', 'postgres', '-qc', sql]);
const db = PG ? `postgresql:///${pgName}?host=${PG}&user=postgres` : join(dir, 'country.db');
const kd = (...args) => execFileSync(KIEMDIEM, [...args, '--db', db], { encoding: 'utf8' });
const rollup = under => JSON.parse(kd('rollup', '--json', '--under', under));
const exported = cell => JSON.parse(kd('export', 'json', '--cell', cell));

let browser, server, base;
let province, other, country, cellA, cellB, a, b, secretaryA, memberA, memberB;

function account(login, ...flags) {
  kd('user', 'add', login, ...flags);
  execFileSync(KIEMDIEM, ['user', 'passwd', login, '--no-change', '--db', db], { input: `demo-${login}\n` });
}

before(async () => {
  if (PG)
    psql(`CREATE DATABASE ${pgName}`);
  kd('gen', '--members', '2000', '--seed', '7');
  const whole = JSON.parse(kd('rollup', '--json'));
  country = whole.orgs[0].code;
  const provinces = whole.orgs.filter(o => o.parent === country);
  [province, other] = [provinces[0].code, provinces[1].code];
  const rated = p => whole.orgs.filter(o => o.kind === 'cell' && o.code.startsWith(`${p}.`) && o.rated > 0);
  [cellA, cellB] = [rated(province)[0].code, rated(other)[0].code];
  [a, b] = [exported(cellA), exported(cellB)];
  const published = p => !p.committee_role && p.decisions.some(d => d.published_on && !d.annulled_on);
  secretaryA = a.people.find(p => p.committee_role === 'bi_thu').code;
  memberA = a.people.find(published).code;
  memberB = b.people.find(published).code;
  account('tinhuy', '--upper', '--org', province);
  for (const code of [secretaryA, memberA, memberB])
    account(code, '--person', code);
  server = await startServer(db);
  base = server.base;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  if (server) {
    const { code, log } = await server.stop();
    assert.equal(code, 0, log);
  }
  rmSync(dir, { recursive: true, force: true });
  if (PG)
    psql(`DROP DATABASE IF EXISTS ${pgName}`);
});

// What a row of the roll-up table shows for organization o of `rollup --json`.
function figures(o) {
  const pct = k => `${Number(o.percent[k]).toFixed(1).replace('.', ',')}%`;
  return [String(o.members), String(o.rated), ...RATINGS.map(k => `${o.ratings[k]} (${pct(k)})`),
    String(o.not_rated), String(o.undecided), `${o.cells_finished}/${o.cells}`];
}

// The rows of the page's roll-up table: [name, ...figures].
async function table(page) {
  const rows = [];
  for (const row of await page.locator('table.rollup tbody tr').all()) {
    const cells = (await row.locator('th, td').allInnerTexts()).map(t => t.replace(/\s+/g, ' ').trim());
    rows.push(cells.slice(0, 10));
  }
  return rows;
}

test('an upper account sees its province: the totals and each organization below, as kiemdiem rollup adds them', async () => {
  const { context, page } = await signedInAt(browser, base, 'tinhuy');
  await page.goto('/upper');
  const want = rollup(province);
  const rows = await table(page);
  assert.deepEqual(rows[0].slice(1), figures(want.orgs[0]), 'the totals row');
  assert.match(rows[0][0], new RegExp(want.orgs[0].name));
  const children = want.orgs.filter(o => o.parent === province);
  assert.equal(rows.length, 1 + children.length, 'one row per organization directly below');
  children.forEach((o, i) => {
    assert.ok(rows[i + 1][0].startsWith(o.name), `${rows[i + 1][0]} is ${o.name}`);
    assert.deepEqual(rows[i + 1].slice(1), figures(o), o.code);
  });
  // Nothing of the other province.
  const otherName = rollup(other).orgs[0].name;
  assert.ok(!(await page.locator('main').innerText()).includes(otherName));
  // The unfinished cells below, each with what it lacks.
  await page.locator('#chua-hoan-thanh').waitFor();
  assert.equal(await page.locator('#chua-hoan-thanh').innerText(), `Chi bộ chưa hoàn thành (${want.unfinished.length})`);
  const listed = await page.locator('table.unfinished tbody tr td:nth-child(2)').allInnerTexts();
  assert.deepEqual(listed, want.unfinished.slice(0, 200).map(u => u.code));
  await screenshot(page, 'upper-province');
  await context.close();
});

test('the upper account drills down to a cell, downloads its dossier and goes back up by the breadcrumb', async () => {
  const { context, page } = await signedInAt(browser, base, 'tinhuy');
  await page.goto('/upper');
  // Down the first branch that leads to cellA.
  const path = cellA.split('.').map((_, i, parts) => parts.slice(0, i + 1).join('.')).filter(c => c !== province &&
    c.startsWith(`${province}.`));
  for (const code of path) {
    const link = page.locator(`table.rollup a[href="/upper?org=${encodeURIComponent(code)}"]`);
    await Promise.all([page.waitForURL(u => u.search === `?org=${encodeURIComponent(code)}`), link.click()]);
    const want = rollup(code);
    assert.deepEqual((await table(page))[0].slice(1), figures(want.orgs[0]), code);
    assert.equal(await page.locator('nav.breadcrumb li').count(), path.indexOf(code) + 2, 'the breadcrumb from the province');
  }
  // At the cell: its documents, of that cell.
  assert.match(await page.locator('main').innerText(), /Tải hồ sơ \(ZIP\)/);
  const zip = await page.request.get(await page.locator('a', { hasText: 'Tải hồ sơ (ZIP)' }).getAttribute('href'));
  assert.equal(zip.status(), 200);
  assert.equal(zip.headers()['content-type'], 'application/zip');
  assert.equal((await zip.body()).subarray(0, 2).toString(), 'PK');
  const xlsx = await page.request.get(await page.locator('a', { hasText: 'Kết quả (XLSX)' }).getAttribute('href'));
  assert.equal(xlsx.status(), 200);
  assert.match(xlsx.headers()['content-type'], /spreadsheetml/);
  // Back to the province in one click.
  const top = page.locator('nav.breadcrumb a').first();
  await Promise.all([page.waitForURL(u => u.search === `?org=${encodeURIComponent(province)}`), top.click()]);
  assert.deepEqual((await table(page))[0].slice(1), figures(rollup(province).orgs[0]));
  // The table as a spreadsheet and as CSV.
  const csv = await page.request.get(`/upper?org=${encodeURIComponent(province)}&format=csv`);
  assert.equal(csv.status(), 200);
  const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
  const want = rollup(province).orgs;
  assert.equal(lines.length, 2 + want.filter(o => o.parent === province).length);
  assert.ok(lines[1].startsWith(`"${province}","${want[0].name}"`), lines[1]);
  await context.close();
});

test('outside its subtree the upper account gets 403, an unknown organization 404', async () => {
  const u = await httpClient(base, 'tinhuy');
  for (const org of [other, country, cellB]) {
    const res = await u.get(`/upper?org=${encodeURIComponent(org)}`);
    assert.equal(res.status, 403, org);
    assert.match(res.text, /không thuộc phạm vi của tài khoản này/);
  }
  const unknown = await u.get('/upper?org=KHONG.CO');
  assert.equal(unknown.status, 404);
  assert.match(unknown.text, /Không có tổ chức đảng mã “KHONG.CO”/);
  assert.equal((await u.get(`/docs/dossier?cell=${encodeURIComponent(cellB)}`)).status, 403);
  assert.equal((await u.get(`/upper/recheck?org=${encodeURIComponent(other)}`)).status, 403);
  // Inside it: a cell's results, but not a member's review.
  assert.equal((await u.get(`/docs/results?format=xlsx&cell=${encodeURIComponent(cellA)}`)).status, 200);
  assert.equal((await u.get(`/docs/review?cell=${encodeURIComponent(cellA)}&member=${memberA}`)).status, 403);
});

test('the upper account rechecks its province against the rules', async () => {
  const u = await httpClient(base, 'tinhuy');
  const res = await u.get(`/upper/recheck?org=${encodeURIComponent(province)}`);
  assert.equal(res.status, 200);
  let out;
  try {
    out = kd('rollup', 'recheck', '--json', '--under', province);
  } catch (e) {
    out = e.stdout;     // exit status 1: some cell is flagged
  }
  const want = JSON.parse(out);
  assert.match(res.text, new RegExp(`đã kiểm tra ${want.cells} chi bộ, ${want.members} đảng viên; ` +
    `<strong>${want.cells_flagged} chi bộ`));
});

test('two members of different cells each see their own cell\'s campaign, meetings and result only', async () => {
  for (const [code, mine, theirs] of [[memberA, a, b], [memberB, b, a]]) {
    const u = await httpClient(base, code);
    const meetings = await u.get('/meetings');
    const ids = [...new Set([...meetings.text.matchAll(/href="\/meetings\/(\d+)"/g)].map(m => Number(m[1])))];
    assert.deepEqual(ids.sort(), mine.meetings.map(m => m.id).sort(), `${code}'s meetings`);
    for (const m of theirs.meetings)
      assert.equal((await u.get(`/meetings/${m.id}`)).status, 404, `${code} opens another cell's meeting`);
    const me = mine.people.find(p => p.code === code);
    const decided = me.decisions.find(d => !d.annulled_on).rating;
    const names = { HTXSNV: 'Hoàn thành xuất sắc nhiệm vụ', HTTNV: 'Hoàn thành tốt nhiệm vụ',
      HTNV: 'Hoàn thành nhiệm vụ', KHTNV: 'Không hoàn thành nhiệm vụ' };
    const results = await u.get('/results');
    assert.match(results.text, new RegExp(`Chi bộ xếp loại đồng chí: <strong><span class="rating" ` +
      `data-rating="${decided}">${names[decided]}</span>`));
    // The published list is of their cell: their cell's people, no one else's.
    for (const p of theirs.people.slice(0, 5))
      assert.ok(!results.text.includes(`(${p.code})`), `${code} sees ${p.code} of another cell`);
    const review = await u.get('/review');
    assert.equal(review.status, 200);
    assert.ok(review.text.includes(me.name), `${code} sees their own review`);
    const stranger = theirs.people.find(p => !p.committee_role).code;
    assert.equal((await u.get(`/docs/review?member=${stranger}`)).status, 404);
  }
});

test('a cell\'s secretary works on their cell only, and cannot open /upper for another', async () => {
  const u = await httpClient(base, secretaryA);
  const list = await u.get('/reviews');
  const codes = [...new Set([...list.text.matchAll(/href="\/reviews\/(dv\d+)"/g)].map(m => m[1]))].sort();
  assert.deepEqual(codes, a.people.filter(p => p.active).map(p => p.code).sort());
  const stranger = b.people.find(p => p.review?.status === 'submitted').code;
  assert.equal((await u.get(`/reviews/${stranger}`)).status, 404);
  const page = await u.get(`/reviews/${memberA}`);
  const reopened = await u.post(`/reviews/${stranger}/reopen`, { csrf: csrfOf(page.text), reason: 'Bổ sung' });
  assert.equal(reopened.status, 404);
  assert.equal(exported(cellB).people.find(p => p.code === stranger).review.status, 'submitted');
  // Its own cell's row on /upper, nothing above or beside it.
  const own = await u.get('/upper');
  assert.equal(own.status, 200);
  assert.match(own.text, new RegExp(a.cell.name));
  for (const org of [cellB, province])
    assert.equal((await u.get(`/upper?org=${encodeURIComponent(org)}`)).status, 403, org);
});
