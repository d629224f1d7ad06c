// Two `kiemdiem serve` processes on one database behave as one (issue 6):
// what a user does through one is what the other shows, as two app
// processes behind a proxy must, whichever process a request lands on.
// run.sh starts them (KD_SERVERS=2: KD_URL and KD_URL2), on PostgreSQL
// with KD_PG_HOST (ctest's web/multi) or on one SQLite file
// (web/multi-sqlite). Without a second process the file is skipped.
//
// B stands behind a proxy at 127.0.0.1 (run.sh sets
// KIEMDIEM_TRUSTED_PROXY=127.0.0.1 for it): the client's address is the
// one X-Forwarded-For names. A takes the peer's address.
//
// The clients are plain HTTP (fetch), each with its own cookies, sending
// the forms a browser would send; the pages are the same ones the browser
// tests drive.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { kiemdiem, cookieClient as user, csrfOf } from './lib.mjs';

const A = process.env.KD_URL;
const B = process.env.KD_URL2;
const skip = !B && 'needs two server processes (run.sh with KD_SERVERS=2)';

const text = html => html.replace(/<[^>]+>/g, ' ').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ');

async function signIn(base, login) {
  const u = user();
  const page = await u.get(base, '/login');
  const res = await u.post(base, '/login', { csrf: csrfOf(page.text), login, password: `demo-${login}` });
  assert.equal(res.status, 303, `${login} signs in through ${base}`);
  return u;
}

// The count of ballots as each process's page polls it.
async function countVia(u, base, meeting) {
  const res = await u.get(base, `/meetings/${meeting}?part=count`);
  assert.equal(res.status, 200);
  return JSON.parse(res.text);
}

let meeting;
before(() => {
  if (skip) return;
  // A meeting of party group to1 (dv04..dv10), everyone present, its
  // agenda in the plan's order.
  meeting = kiemdiem('meeting', 'add', 'to1', '--on', '2021-11-20', '--place', 'Phòng họp tổ 1').trim();
  kiemdiem('meeting', 'attend', meeting, 'dv04', 'dv05', 'dv06', 'dv07', 'dv08', 'dv09', 'dv10');
  kiemdiem('meeting', 'agenda', meeting);
});

test('a session made through one process is valid on the other, and so is signing out', { skip }, async () => {
  const u = await signIn(A, 'dv07');
  const viaB = await u.get(B, '/');
  assert.equal(viaB.status, 200, 'signed in on the other process too');
  assert.match(text(viaB.text), /Đăng xuất/);
  // Signing out through B ends the session on A as well: the old cookie,
  // replayed there, no longer works.
  const token = u.jar.get('kd_session');
  const out = await u.post(B, '/logout', { csrf: csrfOf(viaB.text) });
  assert.equal(out.status, 303);
  const res = await fetch(A + '/', { redirect: 'manual', headers: { cookie: `kd_session=${token}` } });
  assert.equal(res.status, 303);
  assert.match(res.headers.get('location'), /^\/login/);
});

test('a change through one process shows at once on the other\'s cached dashboard', { skip }, async () => {
  // The bí thư's dashboard through A, twice: the second comes from A's
  // cache (kept until the last audit entry changes).
  const chief = await signIn(A, 'dv01');
  const before1 = text((await chief.get(A, '/')).text);
  const before2 = text((await chief.get(A, '/')).text);
  assert.equal(before1, before2);
  // dv33's review reopened through B by the bí thư (a draft again).
  const page = await chief.get(B, '/reviews/dv33');
  assert.equal(page.status, 200);
  const res = await chief.post(B, '/reviews/dv33/reopen', {
    csrf: csrfOf(page.text), reason: 'Bổ sung phần tự phê bình',
  });
  assert.equal(res.status, 303, 'reopened');
  // Every pool thread of A has a cache: ask a few times, each must see it.
  for (let i = 0; i < 6; i++) {
    const after = text((await chief.get(A, '/')).text);
    assert.notEqual(after, before1, `request ${i} through A still shows the dashboard before the change`);
  }
});

test('a member votes through one process in a round opened through the other; counted once', { skip }, async () => {
  // The chair (dv04, tổ trưởng) opens the vote through B.
  const chair = await signIn(B, 'dv04');
  const mp = await chair.get(B, `/meetings/${meeting}`);
  assert.equal(mp.status, 200);
  const opened = await chair.post(B, `/meetings/${meeting}/open`, { csrf: csrfOf(mp.text) });
  assert.equal(opened.status, 303, 'the round opens');
  assert.deepEqual(await countVia(chair, A, meeting), await countVia(chair, B, meeting));
  assert.equal((await countVia(chair, A, meeting)).cast, 0);

  // dv05 signs in through A and gets the ballot there.
  const voter = await signIn(A, 'dv05');
  const form = await voter.get(A, `/meetings/${meeting}/ballot`);
  assert.equal(form.status, 200, 'a ballot through A');
  const round = form.text.match(/name="round" value="(\d+)"/)[1];
  const n = [...form.text.matchAll(/<fieldset>/g)].length;
  assert.equal(n, 7, 'one question per member of the group');
  const fields = { csrf: csrfOf(form.text), round };
  for (let i = 0; i < n; i++) fields[`r${i}`] = 'HTTNV';
  const cast = await voter.post(A, `/meetings/${meeting}/ballot`, fields);
  assert.equal(cast.status, 303, 'the ballot is taken');

  // The count is the same through both processes.
  const viaA = await countVia(chair, A, meeting);
  const viaB = await countVia(chair, B, meeting);
  assert.deepEqual(viaA, viaB);
  assert.equal(viaA.cast, 1);
  assert.equal(viaA.open, true);

  // The same ballot again, through B: refused, and B's ballot page says
  // the member has voted.
  const again = await voter.post(B, `/meetings/${meeting}/ballot`, fields);
  assert.equal(again.status, 409);
  assert.match(text(again.text), /Bạn đã bỏ phiếu trong vòng này; mỗi người chỉ bỏ phiếu một lần/);
  assert.match(text((await voter.get(B, `/meetings/${meeting}/ballot`)).text), /Bạn đã bỏ phiếu trong vòng này/);
  assert.equal((await countVia(chair, B, meeting)).cast, 1);

  // Both processes at once: dv06 and dv07 vote at the same moment, one
  // through each; then the chair closes through A.
  const [v6, v7] = await Promise.all([signIn(B, 'dv06'), signIn(A, 'dv07')]);
  const ballot = async (u, base, rating) => {
    const f = await u.get(base, `/meetings/${meeting}/ballot`);
    const flds = { csrf: csrfOf(f.text), round: f.text.match(/name="round" value="(\d+)"/)[1] };
    for (let i = 0; i < n; i++) flds[`r${i}`] = rating;
    return u.post(base, `/meetings/${meeting}/ballot`, flds);
  };
  const both = await Promise.all([ballot(v6, B, 'HTTNV'), ballot(v7, A, 'HTXSNV')]);
  assert.deepEqual(both.map(r => r.status), [303, 303]);
  assert.equal((await countVia(chair, A, meeting)).cast, 3);

  const mpA = await chair.get(A, `/meetings/${meeting}`);
  const closed = await chair.post(A, `/meetings/${meeting}/close`, {
    csrf: csrfOf(mpA.text), round: mpA.text.match(/name="round" value="(\d+)"/)[1],
  });
  assert.equal(closed.status, 303, 'the round closes');
  // The results, through B: each ballot counted once (2 HTTNV, 1 HTXSNV
  // of 7 voters convened).
  const results = text((await chair.get(B, `/meetings/${meeting}`)).text);
  assert.match(results, /đã kết thúc: 3\/7/);
  assert.match(results, /\(dv05\) 7 1 2 0 0/);
  assert.equal((await countVia(chair, A, meeting)).open, false);

  // The audit chain both processes appended to is whole.
  assert.match(kiemdiem('audit', 'verify'), /./);
});

test('behind a trusted proxy, one client\'s wrong passwords throttle that client, not everyone', { skip }, async () => {
  const attempt = async (base, login, password, forwarded) => {
    const u = user();
    const page = await u.get(base, '/login');
    const headers = { cookie: [...u.jar].map(([k, v]) => `${k}=${v}`).join('; '),
      'content-type': 'application/x-www-form-urlencoded' };
    if (forwarded) headers['x-forwarded-for'] = forwarded;
    const res = await fetch(base + '/login', { method: 'POST', redirect: 'manual', headers,
      body: new URLSearchParams({ csrf: csrfOf(page.text), login, password }).toString() });
    return { status: res.status, text: text(await res.text()) };
  };
  // 20 wrong sign-ins (other logins each time) from 203.0.113.7, as the
  // proxy reports it; what the client itself put first is not believed.
  for (let i = 0; i < 20; i++) {
    const r = await attempt(B, `khong-co-${i}`, 'sai-mat-khau', `10.9.9.9, 203.0.113.7`);
    assert.notEqual(r.status, 303);
  }
  const throttled = await attempt(B, 'dv08', 'demo-dv08', '10.9.9.9, 203.0.113.7');
  assert.notEqual(throttled.status, 303, 'that client is throttled, even with the right password');
  assert.match(throttled.text, /thử lại sau/);
  // Another client behind the same proxy signs in.
  assert.equal((await attempt(B, 'dv08', 'demo-dv08', '203.0.113.8')).status, 303);
  // A forged header straight to A (no trusted proxy there) changes nothing:
  // A sees the peer, 127.0.0.1, which has no failures.
  assert.equal((await attempt(A, 'dv08', 'demo-dv08', '203.0.113.7')).status, 303);
});
