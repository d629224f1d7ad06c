// Review meetings on the web: a party group's meeting votes electronically
// (each member on their own device, the screen showing only how many have
// voted), a member cannot vote twice, a closed vote takes no ballot; then
// the cell's meeting, where the 20 % quota binds, a tie at the cut forces a
// re-vote of exactly the tied members, and the re-vote resolves it.
//
// Setup through the CLI on the demo database run.sh made: a new meeting of
// party group 1 and a new cell meeting, everyone present. The demo's own
// cell tallies give 9 members voted HTXSNV for a cap of 6 (30 members
// HTTNV or above); dv12 is 6th with 22 HTXSNV ballots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, newUser, signedIn, url, screenshot, mainText, kiemdiem, httpClient, BASE,
} from './lib.mjs';

let browser;
let groupMeeting, cellMeeting;
const DESKTOP = { width: 1200, height: 900 };
const GROUP = ['dv04', 'dv05', 'dv06', 'dv07', 'dv08', 'dv09', 'dv10'];

before(async () => {
  browser = await launch();
  groupMeeting = kiemdiem('meeting', 'add', 'to1', '--on', '2021-11-20', '--place', 'Phòng họp tổ 1').trim();
  kiemdiem('meeting', 'attend', groupMeeting, ...GROUP);
  cellMeeting = kiemdiem('meeting', 'add', 'cell', '--on', '2021-11-30', '--place', 'Hội trường').trim();
  const everyone = Array.from({ length: 33 }, (_, i) => `dv${String(i + 1).padStart(2, '0')}`);
  kiemdiem('meeting', 'attend', cellMeeting, ...everyone);
  kiemdiem('meeting', 'agenda', cellMeeting);
});
after(async () => { await browser?.close(); });

const voteText = async page => (await page.locator('#vote').innerText()).replace(/\s+/g, ' ');

// Choose `rating` (its Vietnamese name) for every subject of the ballot,
// or per subject code through `per`.
async function fillBallot(page, rating, per = {}) {
  const sets = page.locator('.ballot fieldset');
  const n = await sets.count();
  for (let i = 0; i < n; i++) {
    const legend = await sets.nth(i).locator('legend').innerText();
    const code = (legend.match(/\((dv\d+)\)/) ?? [])[1];
    const name = per[code] ?? rating;
    await sets.nth(i).getByLabel(name, { exact: true }).check();
  }
  return n;
}

async function submitBallot(page) {
  await Promise.all([page.waitForLoadState('load'), page.click('.ballot button[type=submit]')]);
}

test('a group meeting votes electronically: the screen counts ballots, never shows them', async () => {
  const chair = await signedIn(browser, 'dv04', DESKTOP);
  const cp = chair.page;
  await cp.goto(url(`/meetings/${groupMeeting}`));
  assert.match(await mainText(cp), /7 đảng viên được triệu tập/);
  // The agenda in the plan's order: the group's leader first.
  await Promise.all([cp.waitForLoadState('load'),
    cp.click('#agenda button:has-text("Lập chương trình theo trình tự của kế hoạch")')]);
  assert.match(await mainText(cp), /Đã lập chương trình/);
  const first = await cp.locator('ol.agenda > li h3').first().innerText();
  assert.match(first, /dv04.*Tổ trưởng/);
  assert.equal(await cp.locator('ol.agenda > li').count(), 7);
  // The members' comments and the chair's conclusion on one subject.
  const s05 = cp.locator('#s-dv05');
  await s05.locator('summary:has-text("Ghi ý kiến góp ý và kết luận")').click();
  await s05.locator('#comments-dv05').fill('Tổ góp ý: cần chủ động hơn trong sinh hoạt.');
  await s05.locator('#conclusion-dv05').fill('Hoàn thành tốt nhiệm vụ được giao.');
  await Promise.all([cp.waitForLoadState('load'), s05.locator('button:has-text("Lưu ý kiến và kết luận")').click()]);
  assert.match(await mainText(cp), /Đã lưu ý kiến và kết luận/);
  assert.match(await cp.locator('#s-dv05 dl').innerText(), /cần chủ động hơn[\s\S]*được giao/);
  assert.match(kiemdiem('meeting', 'show', groupMeeting), /Kết luận: Hoàn thành tốt nhiệm vụ được giao\./);

  await Promise.all([cp.waitForLoadState('load'), cp.click('#vote button:has-text("Mở biểu quyết")')]);
  assert.match(await voteText(cp), /Đã bỏ phiếu: 0\/7/);

  // Three members, each on their own phone, and the chair.
  const voters = [];
  for (const who of ['dv05', 'dv06', 'dv07'])
    voters.push({ who, ...(await signedIn(browser, who)) });
  // dv05 keeps a second tab with the ballot open, to try again later.
  const again = await voters[0].context.newPage();
  await again.goto(url(`/meetings/${groupMeeting}/ballot`));

  let cast = 0;
  for (const v of voters) {
    // A background tab does not paint: its screenshot would never come.
    await v.page.bringToFront();
    await v.page.goto(url(`/meetings/${groupMeeting}/ballot`));
    const n = await fillBallot(v.page, 'Hoàn thành tốt nhiệm vụ', { dv08: 'Hoàn thành nhiệm vụ' });
    assert.equal(n, 7, 'one question per subject on the agenda');
    if (v.who === 'dv05')
      await screenshot(v.page, 'meeting-ballot');
    await submitBallot(v.page);
    assert.match(await mainText(v.page), /Bạn đã bỏ phiếu/);
    cast++;
    await cp.reload();
    const shown = await voteText(cp);
    assert.match(shown, new RegExp(`Đã bỏ phiếu: ${cast}/7`));
    // Before the close: no count of any rating, no one's choice.
    assert.doesNotMatch(shown, /Hoàn thành|HTTNV|HTNV/);
  }
  await screenshot(cp, 'meeting-vote-open');

  // The chair votes too, from their own ballot.
  await cp.goto(url(`/meetings/${groupMeeting}/ballot`));
  await fillBallot(cp, 'Hoàn thành tốt nhiệm vụ', { dv08: 'Hoàn thành nhiệm vụ' });
  await submitBallot(cp);

  // The second tab's ballot is refused: one ballot per member.
  await again.bringToFront();
  await fillBallot(again, 'Hoàn thành xuất sắc nhiệm vụ');
  await Promise.all([again.waitForLoadState('load'), again.click('.ballot button[type=submit]')]);
  assert.match(await mainText(again), /Bạn đã bỏ phiếu trong vòng này; mỗi người chỉ bỏ phiếu một lần/);
  await screenshot(again, 'meeting-ballot-twice');

  // Someone not convened to this group's meeting has no ballot.
  const other = await signedIn(browser, 'dv13');
  const r403 = await other.page.goto(url(`/meetings/${groupMeeting}/ballot`));
  assert.equal(r403.status(), 403);
  assert.match(await mainText(other.page), /không được triệu tập/);
  await other.context.close();

  // dv09 opened the ballot but is too late: the chair closes the vote.
  const late = await signedIn(browser, 'dv09');
  await late.page.goto(url(`/meetings/${groupMeeting}/ballot`));
  await fillBallot(late.page, 'Hoàn thành xuất sắc nhiệm vụ');

  await cp.goto(url(`/meetings/${groupMeeting}`));
  assert.match(await voteText(cp), /Đã bỏ phiếu: 4\/7/);
  await Promise.all([cp.waitForLoadState('load'), cp.click('#vote button:has-text("Kết thúc biểu quyết")')]);
  const results = await voteText(cp);
  assert.match(results, /đã kết thúc: 4\/7/);
  // 4 of 7 voters for HTTNV is more than half (V-1).
  const row = async code => (await cp.locator('table.vote-results tr', { hasText: `(${code})` }).innerText())
    .replace(/\s+/g, ' ');
  assert.match(await row('dv05'), /7 0 4 0 0 Hoàn thành tốt nhiệm vụ/);
  assert.match(await row('dv08'), /7 0 0 4 0 Hoàn thành nhiệm vụ/);
  await screenshot(cp, 'meeting-vote-closed');

  await submitBallot(late.page);
  assert.equal(await late.page.evaluate(() => document.title.startsWith('Dữ liệu đã thay đổi')), true);
  assert.match(await mainText(late.page), /Vòng biểu quyết này đã kết thúc; phiếu của bạn không được ghi/);
  await late.page.goto(url(`/meetings/${groupMeeting}/ballot`));
  assert.match(await mainText(late.page), /đã kết thúc; không nhận phiếu nữa/);
  assert.equal(await late.page.locator('.ballot').count(), 0);
  await late.context.close();

  for (const v of voters)
    await v.context.close();
  await chair.context.close();
});

// ------------------------------------------------------------ a voter without a browser

// Vote through the ballot form: `choice` maps a subject's code to a code.
async function httpVote(login, meeting, choice) {
  const c = await httpClient(BASE, login);   // lib.mjs: throws unless signed in
  const form = await c.get(`/meetings/${meeting}/ballot`);
  assert.equal(form.status, 200, `${login} gets a ballot`);
  const round = form.text.match(/name="round" value="(\d+)"/)[1];
  const fields = { csrf: c.csrf(form.text), round };
  const legends = [...form.text.matchAll(/<legend>[^<]*\((dv\d+)\)<\/legend>/g)].map(m => m[1]);
  legends.forEach((code, i) => { fields[`r${i}`] = choice[code]; });
  const res = await c.post(`/meetings/${meeting}/ballot`, fields);
  assert.equal(res.status, 303, `${login}'s ballot is taken`);
}

test('at the cell meeting the quota binds, a tie forces a re-vote, the re-vote resolves it', async () => {
  const chair = await signedIn(browser, 'dv01', DESKTOP);
  const cp = chair.page;
  await cp.goto(url(`/meetings/${cellMeeting}`));
  // The collective first, then the head (bí thư).
  const items = cp.locator('ol.agenda > li h3');
  assert.equal(await items.first().innerText(), 'Tập thể chi bộ');
  assert.match(await items.nth(1).innerText(), /dv01.*Bí thư/);
  let quota = (await cp.locator('#quota').innerText()).replace(/\s+/g, ' ');
  assert.match(quota, /30 đảng viên được xếp loại Hoàn thành tốt nhiệm vụ trở lên; tối đa 6/);
  assert.match(quota, /9 đảng viên được biểu quyết Hoàn thành xuất sắc nhiệm vụ/);
  const ranked = async code => (await cp.locator('table.quota tr', { hasText: `(${code})` }).innerText())
    .replace(/\s+/g, ' ');
  assert.match(await ranked('dv12'), /^6 .*22\/32 Giữ mức Hoàn thành xuất sắc nhiệm vụ/);
  assert.match(await ranked('dv20'), /^7 .*20\/32 Chuyển xuống Hoàn thành tốt nhiệm vụ/);

  // The counting committee's paper tally for dv20 at this meeting: a sum
  // that does not add up is refused at the field, then corrected.
  const item = cp.locator('#s-dv20');
  await item.locator('summary:has-text("Nhập kết quả kiểm phiếu")').click();
  const fill = async (v) => {
    for (const [k, x] of Object.entries(v))
      await item.locator(`#${k}-dv20`).fill(String(x));
    await Promise.all([cp.waitForLoadState('load'), item.locator('button:has-text("Ghi kết quả kiểm phiếu")').click()]);
  };
  await fill({ voters: 32, HTXSNV: 22, HTTNV: 10, HTNV: 0, KHTNV: 0, issued: 33, invalid: 0, unused: 0 });
  assert.match(await mainText(cp), /Chưa ghi kết quả kiểm phiếu/);
  const fieldError = cp.locator('#s-dv20 #issued-dv20 + .field-error');
  assert.match(await fieldError.innerText(), /phát ra 33, nhưng hợp lệ 32 \+ không hợp lệ 0 \+ không sử dụng 0 = 32/);
  assert.equal(await cp.inputValue('#HTXSNV-dv20'), '22', 'what was typed is kept');
  await screenshot(cp, 'meeting-paper-error');
  await cp.locator('#issued-dv20').fill('32');
  await Promise.all([cp.waitForLoadState('load'), item.locator('button:has-text("Ghi kết quả kiểm phiếu")').click()]);
  assert.match(await mainText(cp), /Đã ghi kết quả kiểm phiếu/);

  // dv12 and dv20 now both have 22 ballots at the cut: a re-vote.
  quota = (await cp.locator('#quota').innerText()).replace(/\s+/g, ' ');
  assert.match(await ranked('dv12'), /22\/32 Bằng phiếu ở ngưỡng: biểu quyết lại/);
  assert.match(await ranked('dv20'), /22\/32 Bằng phiếu ở ngưỡng: biểu quyết lại/);
  assert.match(await ranked('dv25'), /Giữ mức/);
  await screenshot(cp, 'meeting-quota-tie');
  await Promise.all([cp.waitForLoadState('load'),
    cp.click('#quota button:has-text("Mở biểu quyết lại cho 2 đồng chí bằng phiếu")')]);
  const open = await voteText(cp);
  assert.match(open, /Đã bỏ phiếu: 0\/32/);
  const subjects = await cp.locator('#vote ol.vote-subjects li').allInnerTexts();
  assert.equal(subjects.length, 2, 'exactly the tied members');
  assert.ok(subjects.some(s => s.includes('(dv12)')) && subjects.some(s => s.includes('(dv20)')));

  // A probationary member has no vote.
  const prob = await signedIn(browser, 'dv33');
  const r = await prob.page.goto(url(`/meetings/${cellMeeting}/ballot`));
  assert.equal(r.status(), 403);
  assert.match(await mainText(prob.page), /dự bị không biểu quyết/);
  await prob.context.close();

  // 22 voters: two on phones, twenty without a browser. dv20 gets 21
  // HTXSNV ballots, dv12 10 (and 12 HTTNV, so HTTNV by V-1).
  for (const who of ['dv02', 'dv03']) {
    const v = await signedIn(browser, who);
    await v.page.goto(url(`/meetings/${cellMeeting}/ballot`));
    await fillBallot(v.page, 'Hoàn thành xuất sắc nhiệm vụ');
    if (who === 'dv02')
      await screenshot(v.page, 'meeting-revote-ballot');
    await submitBallot(v.page);
    assert.match(await mainText(v.page), /Bạn đã bỏ phiếu/);
    await v.context.close();
  }
  const others = ['dv04', 'dv05', 'dv06', 'dv07', 'dv09', 'dv10', 'dv11', 'dv12', 'dv13', 'dv14', 'dv15',
    'dv16', 'dv17', 'dv18', 'dv19', 'dv20', 'dv21', 'dv22', 'dv23', 'dv24'];
  for (const [i, who] of others.entries())
    await httpVote(who, cellMeeting, { dv20: i < 19 ? 'HTXSNV' : 'HTTNV', dv12: i < 8 ? 'HTXSNV' : 'HTTNV' });
  await cp.reload();
  assert.match(await voteText(cp), /Đã bỏ phiếu: 22\/32/);
  await Promise.all([cp.waitForLoadState('load'), cp.click('#vote button:has-text("Kết thúc biểu quyết")')]);
  const row = async code => (await cp.locator('table.vote-results tr', { hasText: `(${code})` }).innerText())
    .replace(/\s+/g, ' ');
  assert.match(await row('dv20'), /32 21 1 0 0 Hoàn thành xuất sắc nhiệm vụ/);
  assert.match(await row('dv12'), /32 10 12 0 0 Hoàn thành tốt nhiệm vụ/);

  // Resolved: dv20 keeps the top rating, nobody is tied, no re-vote left.
  quota = (await cp.locator('#quota').innerText()).replace(/\s+/g, ' ');
  assert.match(quota, /8 đảng viên được biểu quyết Hoàn thành xuất sắc nhiệm vụ/);
  assert.match(await ranked('dv20'), /^6 .*21\/32 Giữ mức Hoàn thành xuất sắc nhiệm vụ/);
  assert.match(await ranked('dv27'), /^7 .*19\/32 Chuyển xuống Hoàn thành tốt nhiệm vụ/);
  assert.doesNotMatch(quota, /Bằng phiếu|Chưa xếp thứ tự/);
  assert.equal(await cp.locator('#quota button').count(), 0);
  // Each demoted member's reason is the engine's Q-1 message.
  const dv27 = (await cp.locator('table.verdicts tr', { hasText: '(dv27)' }).innerText()).replace(/\s+/g, ' ');
  assert.match(dv27, /Q-1/);
  await screenshot(cp, 'meeting-quota-resolved');
  await chair.context.close();
});
