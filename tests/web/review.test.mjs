// The personal review (Mẫu 02), the committee's view of the reviews, the
// collective report (Mẫu 01) and the results, as members, a group leader,
// the committee and the secretary meet them in the browser.
//
// These tests change the campaign (a new year's campaign, annulments,
// publications), so they run their own servers on databases of their own
// rather than the shared one run.sh starts:
//  - "2026": the demo plus a 2026 campaign whose meeting is 18/12/2026,
//    served as if today were 25/11/2026 (the deadline, 15/12, is ahead);
//  - "2021": the demo as it is (the 2021 campaign, voted, decided and
//    published), served today (every deadline is past).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, screenshot, scrollsSideways, startServer as serve, signedInAt, submit, KIEMDIEM, PHONE } from './lib.mjs';

let browser;
const servers = {};

// A server of its own: a demo database, `setup` run on it with the CLI,
// then lib.mjs's startServer; stop() also removes the database.
async function startServer(name, setup, today) {
  const dir = mkdtempSync(join(tmpdir(), `kd-${name}-`));
  const db = join(dir, 'kd.db');
  const cli = (...args) => execFileSync(KIEMDIEM, [...args, '--db', db], { encoding: 'utf8' });
  cli('demo');
  setup?.(cli);
  const srv = await serve(db, { today });
  return {
    base: srv.base, cli,
    async stop() {
      const r = await srv.stop();
      rmSync(dir, { recursive: true, force: true });
      return r;
    },
  };
}

// A user signed in on server `srv`, in a browser context of their own.
const as = (srv, user, viewport = PHONE) => signedInAt(browser, srv.base, user, viewport);


const text = async (page, selector = 'main') => (await page.locator(selector).innerText()).replace(/\s+/g, ' ');

before(async () => {
  browser = await launch();
  servers.y2026 = await startServer('2026', cli => {
    cli('campaign', 'create', '--year', '2026', '--as-of', '2026-12-18', '--title', 'Kiểm điểm năm 2026');
  }, '2026-11-25');
  servers.y2021 = await startServer('2021');
});

after(async () => {
  await browser?.close();
  for (const srv of Object.values(servers)) {
    const r = await srv.stop();
    // A sanitizer build exits non-zero on a leak or an error.
    assert.equal(r.code, 0, `kiemdiem serve exited with ${r.code} ${r.signal ?? ''}: ${r.log.slice(-3000)}`);
  }
});

// ------------------------------------------------------------ my review

async function fill(page, levels, selfRating, sections = {}) {
  for (const [crit, level] of Object.entries(levels))
    await page.check(`#level-${crit}-${level}`);
  for (const [name, value] of Object.entries(sections))
    await page.fill(`#section-${name}`, value);
  if (selfRating)
    await page.check(`#self-${selfRating}`);
}

test('three members each fill in, save and submit their review before the deadline', async () => {
  const srv = servers.y2026;
  const members = ['dv05', 'dv06', 'dv07'];
  const users = await Promise.all(members.map(m => as(srv, m)));
  for (const [i, { page }] of users.entries()) {
    await page.goto('/review');
    const main = await text(page);
    assert.match(main, /Bản kiểm điểm cá nhân năm 2026/);
    assert.match(main, /Hạn nộp: 15\/12\/2026/, 'the deadline: 3 working days before the meeting of 18/12/2026');
    assert.match(main, /chưa có bản kiểm điểm/);
    // Every criterion a fieldset with its legend, each level a labelled radio.
    assert.equal(await page.locator('fieldset.criterion').count(), 3);
    assert.match(await page.locator('fieldset.criterion legend').first().innerText(), /Tư tưởng chính trị/);
    assert.equal((await page.locator('label[for="level-nhiem_vu-XS"]').innerText()).trim(), 'Xuất sắc');
    assert.equal((await page.locator('label[for="level-nhiem_vu-K"]').innerText()).trim(), 'Kém');
    assert.equal((await page.locator('label[for="self-HTTNV"]').innerText()).trim(), 'Hoàn thành tốt nhiệm vụ');
    assert.match(await text(page, '#verdict'), /Chọn cấp độ cho tất cả các tiêu chí/);
    assert.equal(await scrollsSideways(page), false, 'no sideways scrolling at 360 px');
    if (i === 0)
      await screenshot(page, 'review-empty');

    await fill(page, { pham_chat: 'T', nhiem_vu: i === 2 ? 'XS' : 'T', cam_ket: 'T' }, 'HTTNV',
      { uu_diem: `Hoàn thành tốt nhiệm vụ giảng dạy năm học ${2025 + i}.`, han_che: 'Còn chậm đổi mới phương pháp.' });
    await submit(page, 'button[value=save]');
    assert.match(await text(page), /Đã lưu bản nháp/);
    assert.match(await text(page, '#verdict'), /Hoàn thành tốt nhiệm vụ/);
    assert.match(await text(page, '#verdict'), /Vì sao chưa đạt “Hoàn thành xuất sắc nhiệm vụ”/);
    assert.equal(await page.inputValue('#section-han_che'), 'Còn chậm đổi mới phương pháp.', 'the text is kept');
    assert.equal(await page.isChecked('#self-HTTNV'), true);
  }

  // The verdict follows the levels: "Kém" on a criterion allows no rating.
  const { page } = users[0];
  await page.check('#level-pham_chat-K');
  await submit(page, 'button[value=save]');
  const verdict = await text(page, '#verdict');
  assert.match(verdict, /Không hoàn thành nhiệm vụ/);
  assert.match(verdict, /Vì sao chưa đạt “Hoàn thành nhiệm vụ”/);
  assert.match(verdict, /mức Kém/);
  await screenshot(page, 'review-verdict-kem');
  await page.check('#level-pham_chat-T');
  await submit(page, 'button[value=save]');
  assert.match(await text(page, '#verdict'), /: Hoàn thành tốt nhiệm vụ\./);
  await screenshot(page, 'review-draft');

  // With the page's script (app.js) the verdict follows a click at once,
  // before any save; the server writes nothing for it.
  const live = users[1].page;
  await live.check('#level-cam_ket-K');
  // (a locator wait: the page's CSP forbids the eval a waitForFunction needs)
  await live.locator('#verdict', { hasText: 'Không hoàn thành nhiệm vụ' }).waitFor();
  assert.match(await text(live, '#verdict'), /mức Kém/);
  await screenshot(live, 'review-verdict-live');
  await live.reload();
  assert.equal(await live.isChecked('#level-cam_ket-T'), true, 'the live verdict saved nothing');
  assert.match(await text(live, '#verdict'), /: Hoàn thành tốt nhiệm vụ\./);

  for (const { page: p } of users) {
    await submit(p, 'button[value=submit]');
    const main = await text(p);
    assert.match(main, /Đã nộp bản kiểm điểm ngày 25\/11\/2026/);
    assert.match(main, /Chỉ cấp ủy có thể mở lại/);
    assert.equal(await p.locator('main textarea').count(), 0, 'a submitted review is read-only');
    assert.equal(await p.locator('main input[type=radio]').count(), 0);
    assert.match(main, /Còn chậm đổi mới phương pháp\./);
  }
  await screenshot(users[0].page, 'review-submitted');
  await Promise.all(users.map(u => u.context.close()));
});

test('submitting without a level or a self-rating is refused, with what is missing, and the input kept', async () => {
  const { context, page } = await as(servers.y2026, 'dv08');
  await page.goto('/review');
  await fill(page, { pham_chat: 'T', nhiem_vu: 'T' }, null, { uu_diem: 'Nội dung chưa xong' });
  const res = await submit(page, 'button[value=submit]');
  assert.equal(res.status(), 400);
  const main = await text(page);
  assert.match(main, /Thực hiện cam kết tu dưỡng.*chưa chọn cấp độ/);
  assert.match(main, /Chưa tự nhận mức xếp loại/);
  assert.equal(await page.inputValue('#section-uu_diem'), 'Nội dung chưa xong');
  assert.equal(await page.isChecked('#level-nhiem_vu-T'), true);
  // Nothing was written; saving keeps it as a draft.
  await submit(page, 'button[value=save]');
  assert.match(await text(page), /Đã lưu bản nháp/);

  // A preview (for a script): the verdict on the posted levels alone, saved nowhere.
  const csrf = await page.inputValue('form[action="/review"] input[name=csrf]');
  const res2 = await page.request.post('/review', {
    form: { csrf, preview: '1', 'level.pham_chat': 'T', 'level.nhiem_vu': 'T', 'level.cam_ket': 'K' },
  });
  assert.equal(res2.status(), 200);
  const fragment = await res2.text();
  assert.match(fragment, /^<section id="verdict"/);
  assert.match(fragment, /Không hoàn thành nhiệm vụ/);
  await page.reload();
  assert.equal(await page.isChecked('#level-cam_ket-K'), false, 'the preview saved nothing');
  await context.close();
});

test('a member cannot read another member\'s review; a group leader only their group\'s', async () => {
  const member = await as(servers.y2026, 'dv05');
  assert.equal((await member.page.goto('/reviews/dv02')).status(), 403);
  assert.equal((await member.page.goto('/reviews')).status(), 403);
  await member.context.close();

  const leader = await as(servers.y2026, 'dv04');   // tổ trưởng of to1
  await leader.page.goto('/reviews');
  const list = await text(leader.page);
  assert.match(list, /Trần Thị Mỹ Dung/);           // dv05, to1
  assert.doesNotMatch(list, /Huỳnh Thị Thúy Hải/);  // dv11, to2
  assert.equal((await leader.page.goto('/reviews/dv05')).status(), 200);
  const res = await leader.page.goto('/reviews/dv11');
  assert.equal(res.status(), 403);
  assert.match(await text(leader.page), /chỉ xem được bản kiểm điểm của đảng viên trong tổ mình/);
  await leader.context.close();
});

test('the committee lists the reviews and reopens one with a reason, kept in the audit log', async () => {
  const srv = servers.y2026;
  const { context, page } = await as(srv, 'dv01', { width: 1024, height: 800 });
  await page.goto('/reviews');
  const row = page.locator('tr', { hasText: 'Trần Thị Mỹ Dung' });
  assert.match(await row.innerText(), /Đã nộp/);
  assert.match(await row.innerText(), /Hoàn thành tốt nhiệm vụ/);
  assert.match(await row.innerText(), /25\/11\/2026/);
  assert.match(await text(page, 'tr:has-text("Lê Thị Thu Thủy")'), /Đã nộp/);
  assert.match(await text(page, 'tr:has-text("Võ Thị Hồng")'), /Bản nháp/);
  assert.match(await text(page, 'tr:has-text("Trần Văn Ba")'), /Chưa có/);
  await screenshot(page, 'reviews-list');

  await page.click('a[href="/reviews/dv05"]');
  await page.waitForURL('**/reviews/dv05');
  assert.match(await text(page), /Còn chậm đổi mới phương pháp\./);
  assert.match(await text(page, '#verdict'), /Hoàn thành tốt nhiệm vụ/);
  // The reason is required: without it (the browser's check bypassed) the server refuses.
  await page.evaluate(() => document.querySelector('#reason').removeAttribute('required'));
  let res = await submit(page, 'section.reopen button[type=submit]');
  assert.equal(res.status(), 400);
  assert.match(await text(page), /Cần ghi lý do mở lại/);
  await page.fill('#reason', 'Bổ sung kết quả khắc phục hạn chế năm trước');
  await screenshot(page, 'review-of-reopen');
  res = await submit(page, 'section.reopen button[type=submit]');
  assert.equal(res.status(), 200);
  assert.match(await text(page), /Đã mở lại bản kiểm điểm/);
  assert.match(await text(page), /lý do: Bổ sung kết quả khắc phục hạn chế năm trước/);
  await context.close();

  assert.match(srv.cli('audit', 'log'), /review reopen dv05 \(2026\) by dv01: Bổ sung kết quả khắc phục hạn chế năm trước/);

  // The member can edit it again, and sees why.
  const member = await as(srv, 'dv05');
  await member.page.goto('/review');
  assert.match(await text(member.page), /Lý do: Bổ sung kết quả khắc phục/);
  assert.equal(await member.page.inputValue('#section-han_che'), 'Còn chậm đổi mới phương pháp.');
  await member.context.close();
});

test('after the deadline a reopened review cannot be submitted', async () => {
  const srv = servers.y2021;
  const sec = await as(srv, 'dv01');
  await sec.page.goto('/reviews/dv06');
  await sec.page.fill('#reason', 'Ghi rõ phần phương hướng');
  await submit(sec.page, 'section.reopen button[type=submit]');
  await sec.context.close();

  const { context, page } = await as(srv, 'dv06');
  await page.goto('/review');
  assert.match(await text(page), /Đã quá hạn nộp/);
  const res = await submit(page, 'button[value=submit]');
  assert.equal(res.status(), 409);
  assert.match(await text(page), /Đã quá hạn nộp bản kiểm điểm: hạn là ngày 08\/11\/2021/);
  assert.match(await text(page), /bản nháp, chưa nộp/);
  await context.close();
});

// ------------------------------------------------------------ the collective report

test('members comment on the collective report; the committee answers before marking a version for the meeting',
  async () => {
    const srv = servers.y2021;
    const member = await as(srv, 'dv07');
    await member.page.goto('/report');
    assert.match(await text(member.page), /Bản trình hội nghị \(bản 2\)/);
    await member.page.fill('#comment', 'Đề nghị bổ sung kết quả công tác phát triển đảng viên mới.');
    await submit(member.page, 'form[action="/report/comment"] button[type=submit]');
    let main = await text(member.page);
    assert.match(main, /Đã ghi ý kiến góp ý số 4/);
    assert.match(main, /Ý kiến số 4 — Đảng viên: Nguyễn Thị Kim Ngân/);
    assert.match(main, /Chưa giải trình/);
    assert.equal(await member.page.locator('form[action="/report"]').count(), 0, 'members do not draft');
    await screenshot(member.page, 'report-member');

    const sec = await as(srv, 'dv01', { width: 1024, height: 800 });
    await sec.page.goto('/report');
    await sec.page.fill('#text', 'Báo cáo kiểm điểm tập thể năm 2021, bổ sung công tác phát triển đảng viên.');
    await submit(sec.page, 'form[action="/report"] button[type=submit]');
    main = await text(sec.page);
    assert.match(main, /Đã lưu bản dự thảo số 3/);
    assert.match(main, /Ý kiến số 4 \(Nguyễn Thị Kim Ngân\) chưa được giải trình/);
    let res = await submit(sec.page, 'form[action="/report/final"] button[type=submit]');
    assert.equal(res.status(), 409);
    assert.match(await text(sec.page, '.errors'), /Ý kiến số 4 \(Nguyễn Thị Kim Ngân\) chưa được giải trình/);

    await sec.page.fill('#answer-4', 'Đã bổ sung vào mục 2 của báo cáo.');
    await submit(sec.page, 'form[action="/report/answer"] button[type=submit]');
    assert.match(await text(sec.page), /Đã ghi giải trình cho ý kiến số 4/);
    res = await submit(sec.page, 'form[action="/report/final"] button[type=submit]');
    assert.equal(res.status(), 200);
    assert.match(await text(sec.page), /Bản 3 là bản trình hội nghị/);
    await screenshot(sec.page, 'report-committee');
    await sec.context.close();

    await member.page.goto('/report');
    main = await text(member.page);
    assert.match(main, /Bản trình hội nghị \(bản 3\)/);
    assert.match(main, /bổ sung công tác phát triển đảng viên/);
    assert.match(main, /Đã bổ sung vào mục 2 của báo cáo\./);
    await member.context.close();
  });

// ------------------------------------------------------------ results

test('a member sees their own published rating with its reasons, then the published list', async () => {
  const { context, page } = await as(servers.y2021, 'dv09');
  await page.goto('/results');
  const own = await text(page, '.own-result');
  assert.match(own, /Chi bộ xếp loại đồng chí: Hoàn thành tốt nhiệm vụ/);
  assert.match(own, /Lý do không được xếp mức cao hơn/);
  assert.match(own, /M-X1/);
  assert.match(await text(page, '.published'), /Tập thể chi bộ/);
  assert.equal(await page.locator('.secretary').count(), 0);
  assert.equal(await page.locator('.engine').count(), 0, 'the engine\'s working is the committee\'s');
  assert.equal(await scrollsSideways(page), false);
  await screenshot(page, 'results-member');
  assert.equal((await page.request.post('/results/publish', { form: { csrf: 'x' } })).status(), 403);
  await context.close();
});

test('the secretary sees the quota ranking, annuls a rating with a reason and publishes; the member sees it',
  async () => {
    const srv = servers.y2021;
    const { context, page } = await as(srv, 'dv01', { width: 1280, height: 900 });
    await page.goto('/results');
    const quota = await text(page, '#quota');
    assert.match(quota, /tối đa 6 \(20%\)/);
    assert.match(quota, /Giữ “Hoàn thành xuất sắc nhiệm vụ”/);
    assert.match(quota, /Không giữ: “Hoàn thành tốt nhiệm vụ”/);
    assert.match(await text(page, 'table.ranking tbody tr:nth-child(1)'), /Ngô Thị Bích Thủy/);
    assert.match(await text(page, '#decisions'), /công khai ngày 27\/11\/2021/);
    await screenshot(page, 'results-secretary');

    // Nothing is waiting to be published.
    let res = await submit(page, 'form[action="/results/publish"] button[type=submit]');
    assert.equal(res.status(), 409);
    assert.match(await text(page, '.errors'), /Không có quyết định nào chờ công khai/);

    // Annulment needs a reason.
    await page.selectOption('#annul-subject', 'dv12');
    await page.selectOption('#annul-rating', 'HTTNV');
    await page.evaluate(() => document.querySelector('#annul-reason').removeAttribute('required'));
    res = await submit(page, 'form[action="/results/annul"] button[type=submit]');
    assert.equal(res.status(), 400);
    assert.match(await text(page, '.errors'), /Cần ghi lý do hủy quyết định/);
    assert.equal(await page.inputValue('#annul-subject'), 'dv12', 'the choice is kept');

    await page.fill('#annul-reason', 'Kết quả xếp loại viên chức năm học thấp hơn');
    res = await submit(page, 'form[action="/results/annul"] button[type=submit]');
    assert.equal(res.status(), 200);
    assert.match(await text(page), /Đã hủy quyết định và ghi mức xếp loại lại/);
    const decisions = await text(page, '#decisions');
    assert.match(decisions, /đã hủy ngày \d\d\/\d\d\/\d{4}, lý do: Kết quả xếp loại viên chức năm học thấp hơn/);
    assert.match(decisions, /chưa công khai/);

    res = await submit(page, 'form[action="/results/publish"] button[type=submit]');
    assert.equal(res.status(), 200);
    assert.match(await text(page), /Đã công khai 1 quyết định xếp loại/);
    await context.close();

    assert.match(srv.cli('audit', 'log'), /annul dv12 HTTNV \(2021\): Kết quả xếp loại viên chức năm học thấp hơn/);

    const member = await as(srv, 'dv12');
    await member.page.goto('/results');
    const own = await text(member.page, '.own-result');
    assert.match(own, /Chi bộ xếp loại đồng chí: Hoàn thành tốt nhiệm vụ/);
    assert.match(own, /Quyết định trước \(Hoàn thành xuất sắc nhiệm vụ\) đã bị hủy .*lý do: Kết quả xếp loại viên chức/);
    await screenshot(member.page, 'results-member-annulled');
    await member.context.close();
  });

test('after the cell\'s vote the secretary records the engine\'s results as decisions and publishes them',
  async () => {
    const srv = servers.y2026;
    // The cell meeting and its tallies, as the counting committee would record them.
    const meeting = srv.cli('meeting', 'add', 'cell', '--on', '2026-11-20').trim().split(/\s+/).pop();
    srv.cli('meeting', 'agenda', meeting);
    srv.cli('vote', 'record', meeting, 'dv06', '--voters', '32', '--HTXSNV', '20', '--HTTNV', '10', '--HTNV', '2',
      '--KHTNV', '0');
    srv.cli('vote', 'record', meeting, 'dv07', '--voters', '32', '--HTXSNV', '3', '--HTTNV', '27', '--HTNV', '2',
      '--KHTNV', '0');

    const { context, page } = await as(srv, 'dv01', { width: 1280, height: 900 });
    await page.goto('/results');
    // dv06 was voted "xuất sắc" but the standards allow "tốt" (not confirmed exemplary).
    const row = await text(page, 'tr#m-dv06');
    assert.match(row, /Hoàn thành xuất sắc nhiệm vụ/);
    await page.click('tr#m-dv06 summary');             // the reasons, folded by default
    assert.match(await text(page, 'tr#m-dv06 details'), /M-X1/);
    assert.match(await text(page, '#decide-subject'), /Tất cả \(2 đối tượng/);
    await page.selectOption('#decide-subject', 'all');
    await submit(page, 'form[action="/results/decide"] button[type=submit]');
    assert.match(await text(page), /Đã ghi 2 quyết định xếp loại; chưa công khai/);
    const decisions = await text(page, '#decisions');
    assert.match(decisions, /Lê Thị Thu Thủy \(dv06\) Hoàn thành tốt nhiệm vụ 25\/11\/2026 chưa công khai/);
    assert.match(decisions, /Nguyễn Thị Kim Ngân \(dv07\) Hoàn thành tốt nhiệm vụ/);
    await submit(page, 'form[action="/results/publish"] button[type=submit]');
    assert.match(await text(page), /Đã công khai 2 quyết định xếp loại/);
    await context.close();
    assert.match(srv.cli('audit', 'log'), /decide all \(2026\)/);

    const member = await as(srv, 'dv06');
    await member.page.goto('/results');
    const own = await text(member.page, '.own-result');
    assert.match(own, /Chi bộ xếp loại đồng chí: Hoàn thành tốt nhiệm vụ/);
    assert.match(own, /đảng viên thực sự tiêu biểu/);
    assert.match(own, /V-2/);
    await member.context.close();
  });
