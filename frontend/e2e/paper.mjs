// End-to-end test of paper ballots in the web UI (issue 16) and the observer's pages (issue 15 §2–§3),
// in real Chromium against the built server: a whole hybrid vote — the draft with its modes (a plain
// ballot cannot have seat tablets, as the server rules), codes and a kiosk, the vote opened, ten
// ballots issued, four cast electronically (two on the kiosk), the totals of each kind with the
// server's warning, the close; the paper figures with an invalid ballot and a missing one (the close
// of the count blocked until it is explained); keyboard-only entry of two batches by two members, one
// agreeing and one with a difference shown side by side and settled by the head; the reconciliation
// going green, the board's paper totals, the tally, the signed list count, certification, the
// announcement and publication; then the observer's verifier checks the published record in a Web
// Worker (a bar per check, the time, the report saved) and the tracking-code page answers for the
// kiosk's receipt, typed and read from a photo of its QR. Every new screen is checked with axe-core
// and photographed at desktop, tablet and phone size (test-artifacts/screens/paper).
//
// With TN_RECORD_NA=<file> (a record written by `TN_RECORD_NA=<dir> go test ./internal/record -run
// TestGoldenNAVerifies`) the verifier page also checks the National Assembly-sized record and prints
// its time.
//
//   CHROMIUM_PATH=/usr/bin/chromium node e2e/paper.mjs

import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import QRCode from 'qrcode'
import { chromium } from 'playwright-core'
import * as lib from './lib.mjs'
import { PASSWORD, TABLET, answer, apiCall, launch, login, newPage, scenario, startServer } from './lib.mjs'

const sc = scenario('paper')
const { shots, work } = sc
const check = sc.check
const axe = (page, name) => lib.axe(sc, page, name)
const shoot = (page, name, sizes, fullPage) => lib.shoot(sc, page, name, sizes, fullPage)
const once = (page, button, method, pathPart, opts) => lib.once(sc, page, button, method, pathPart, opts)

const server = await startServer(work)
const browser = await launch(chromium)
const { url } = server
const pad = (n) => String(n).padStart(2, '0')
const now = new Date()
const todayVN = `${pad(now.getDate())}/${pad(now.getMonth() + 1)}/${now.getFullYear()}`
const TITLE = 'Lấy phiếu tín nhiệm (giấy và điện tử)'
const OFFICIALS = ['Nguyễn Văn Thành', 'Trần Thị Ngọc Diệp', 'Đoàn Quốc Huy']
const timings = []

/** Opens the board's console afresh (a goto to the same hash would not reload it); what the page
 * showed is printed when it does not load. */
async function consoleOf(page, voteId) {
  await page.goto(`${url}/#/board/${voteId}`)
  for (let i = 0; ; i++) {
    await page.reload()
    const ok = await page.locator('section.board h1').waitFor({ timeout: i < 3 ? 8000 : 30_000 }).then(() => true, () => false)
    if (ok) return
    const shown = (await page.textContent('body').catch(() => '')).replace(/\s+/g, ' ').slice(0, 300)
    if (i >= 3) throw new Error('the console did not load; the page showed: ' + shown)
    console.log('(the console did not load after a reload, reloading again; the page showed: ' + shown + ')')
  }
}

/** Types a batch on the entry screen with the keyboard only (the marks, then Enter and the dialog). */
async function enterBatch(page, keys, n) {
  await page.getByRole('heading', { name: `Nhập tập phiếu số ${n}` }).waitFor()
  const size = page.getByLabel('Số phiếu trong tập')
  await size.press('Control+a')
  await size.pressSequentially(String(keys.length))
  await size.press('Tab')
  const t0 = Date.now()
  for (const ballot of keys) await page.keyboard.type(ballot)
  timings.push([`batch ${n}: ${keys.length} ballots × ${keys[0].length} rows typed`, Date.now() - t0])
  await page.keyboard.press('Enter')
  const dialog = page.locator('dialog.app-dialog[open]')
  await dialog.waitFor()
  await page.waitForTimeout(450) // the dialog ignores the tail of a double press
  await page.keyboard.press('Tab')
  await page.keyboard.press('Enter')
  await page.getByTestId('batch-outcome').waitFor()
  return page.getByTestId('batch-outcome').textContent()
}

try {
  // 1. The secretary drafts a hybrid vote: seat tablets with plain ballots are refused in the server's
  // words; the modes are sent and shown.
  const sec = await login(await newPage(browser), url, 'thuky')
  await sec.getByRole('tab', { name: 'Cuộc lấy phiếu' }).click()
  await sec.getByRole('button', { name: 'Tạo cuộc lấy phiếu' }).click()
  await sec.getByLabel('Tên cuộc lấy phiếu').fill(TITLE)
  await sec.getByLabel('Kỳ họp', { exact: true }).fill('Kỳ họp thứ 7')
  await sec.getByLabel('Ngày khai mạc kỳ họp').fill(todayVN)
  await sec.getByLabel('Ngày bỏ phiếu').fill(todayVN)
  for (const name of OFFICIALS) await sec.getByRole('checkbox', { name: new RegExp('^' + name) }).check()
  check('the casting mode defaults to electronic, encrypted', await sec.getByRole('radio', { name: /^Điện tử/ }).isChecked() && await sec.getByRole('radio', { name: /^Mã hóa/ }).isChecked())
  await sec.getByRole('radio', { name: /^Giấy/ }).check()
  check('a paper vote asks nothing about electronic ballots', (await sec.getByRole('radio', { name: /^Mã hóa/ }).count()) === 0)
  await sec.getByRole('radio', { name: /^Kết hợp giấy và điện tử/ }).check()
  const tablets = sec.getByLabel('Đại biểu bỏ phiếu trên máy tính bảng đặt tại chỗ ngồi')
  await tablets.check() // with encrypted ballots (the default), seat tablets may be chosen
  await sec.getByRole('radio', { name: /^Không mã hóa/ }).check()
  check('"not encrypted" says why it matters', (await sec.locator('fieldset.modes').textContent()).includes('người quản trị máy chủ có thể xem phiếu'))
  check('plain ballots cannot have seat tablets, as the server rules (plain_with_seat_tablets): the box is cleared and disabled',
    !(await tablets.isChecked()) && await tablets.isDisabled())
  await axe(sec, 'secretariat: the vote\'s modes'); await shoot(sec, 'paper-draft-modes')
  await sec.getByRole('button', { name: 'Tạo dự thảo và xem danh sách' }).click()
  await sec.getByText(/Người được lấy phiếu \(\d+\)/).waitFor()
  const modeLine = await sec.locator('.mode-line').textContent()
  check('the vote\'s page shows its modes', modeLine.includes('Kết hợp giấy và điện tử') && modeLine.includes('không mã hóa'), modeLine)
  const me = (await apiCall(sec, 'GET', '/api/v1/me')).body
  const drafted = (await apiCall(sec, 'GET', `/api/v1/councils/${me.council_id}/votes`)).body.find((v) => v.title === TITLE)
  const voteId = drafted.id
  check('the draft has the modes chosen', drafted.casting_mode === 'hybrid' && drafted.ballot_mode === 'plain' && drafted.seat_tablets === false,
    JSON.stringify([drafted.casting_mode, drafted.ballot_mode, drafted.seat_tablets]))
  for (const [who, role] of [['Lương Văn Khải', 'Trưởng ban'], ['Mai Thị Hằng', 'Thư ký'], ['Tạ Văn Minh', 'Ủy viên']]) await sec.getByLabel(who).selectOption({ label: role })
  await sec.getByRole('button', { name: 'Lưu Ban kiểm phiếu' }).click()
  await sec.getByText('Đã lưu.').waitFor()
  await axe(sec, 'secretariat: a hybrid vote'); await shoot(sec, 'paper-vote-detail')
  // Editing the draft keeps its modes.
  await sec.getByRole('button', { name: 'Sửa dự thảo' }).click()
  check('editing a draft shows its modes', await sec.getByRole('radio', { name: /^Kết hợp giấy và điện tử/ }).isChecked() && await sec.getByRole('radio', { name: /^Không mã hóa/ }).isChecked())
  await sec.getByRole('button', { name: 'Hủy' }).click()

  // 2. The head: codes and a kiosk for the electronic part, then the opening; ten ballots issued.
  const head = await login(await newPage(browser), url, 'bkp.truongban')
  const codes = (await apiCall(head, 'POST', `/api/v1/votes/${voteId}/codes`, { count: 6 })).body.codes
  const device = (await apiCall(head, 'POST', `/api/v1/votes/${voteId}/devices`, { name: 'Máy số 1' })).body
  check('codes and a kiosk for the electronic part', codes.length === 6 && !!device.token)
  await consoleOf(head, voteId)
  check('the console shows the vote\'s modes', (await head.locator('.mode-line').textContent()).includes('Kết hợp giấy và điện tử'))
  await once(head, head.getByRole('button', { name: 'Bắt đầu bỏ phiếu' }), 'POST', '/open', { confirm: 'Bắt đầu bỏ phiếu', name: 'open' })
  await head.locator('.board .status .badge', { hasText: 'Đang bỏ phiếu' }).waitFor()
  const roster = (await apiCall(head, 'GET', `/api/v1/councils/${me.council_id}/delegates`)).body
  for (const d of roster.slice(0, 10)) await apiCall(head, 'POST', `/api/v1/votes/${voteId}/issuances`, { delegate_id: d.id })
  const subjects = (await apiCall(head, 'GET', `/api/v1/votes/${voteId}`)).body.subjects
  check('three people on the ballot', subjects.length === 3, String(subjects.length))

  // 3. Four delegates vote electronically: two on the kiosk, two more through the API.
  const kiosk = await newPage(browser, TABLET)
  await kiosk.goto(`${url}/#/kiosk/${device.token}`)
  const receipts = []
  for (const code of codes.slice(0, 2)) {
    await kiosk.getByLabel('Nhập mã bỏ phiếu in trên phiếu mã').fill(code)
    await kiosk.getByRole('button', { name: 'Tiếp tục' }).click()
    const rows = kiosk.locator('ol.ballot > li')
    await rows.first().waitFor()
    await rows.nth(0).getByLabel('Tín nhiệm thấp', { exact: true }).check()
    await rows.nth(1).getByLabel('Tín nhiệm cao', { exact: true }).check()
    await kiosk.getByRole('button', { name: 'Xem lại phiếu' }).click()
    await kiosk.getByRole('button', { name: 'Bỏ phiếu', exact: true }).click()
    const rc = kiosk.getByTestId('receipt')
    await rc.waitFor()
    receipts.push((await rc.textContent()).trim())
    await kiosk.getByRole('button', { name: 'Hoàn tất' }).click()
  }
  for (const code of codes.slice(2, 4)) {
    const r = await apiCall(head, 'POST', '/api/v1/ballots', { code, choices: [{ official_id: subjects[0].official_id, level: 'medium' }, { official_id: subjects[2].official_id, level: 'low' }] })
    check('a ballot cast through the API', r.status === 201, JSON.stringify(r.body))
  }
  check('two receipts from the kiosk', receipts.length === 2 && receipts.every((r) => r.length >= 8), receipts.join(','))

  // 4. Issuing ends: 6 paper ballots and 4 code slips; so few slips that the board is warned.
  await head.reload()
  await head.getByRole('heading', { name: 'Số phiếu mỗi loại đã phát' }).waitFor()
  await head.getByLabel('Số đại biểu nhận phiếu giấy').fill('6')
  await head.getByLabel('Số đại biểu nhận phiếu mã').fill('4')
  const sumLine = await head.locator('.paper-kinds form').getByText('Tổng hai loại bằng số phiếu đã phát (10).').waitFor({ timeout: 5000 }).then(() => '', async () => head.locator('.paper-kinds form').textContent())
  check('the sum of the kinds against the ballots issued', sumLine === '', sumLine)
  await once(head, head.getByRole('button', { name: 'Ghi số phiếu mỗi loại' }), 'PUT', '/paper/issuance', { name: 'record the kinds' })
  await head.getByTestId('kinds-warning').waitFor()
  const warning = await head.getByTestId('kinds-warning').textContent()
  check('the warning when one kind went to fewer than 5 delegates, in the server\'s words', warning.includes('Chỉ 4 đại biểu') && warning.includes('một loại phiếu'), warning)
  check('the totals recorded', (await head.getByTestId('kinds-recorded').textContent()).includes('6 phiếu giấy, 4 phiếu mã'))
  await axe(head, 'board: the totals of each kind'); await shoot(head, 'paper-issuance-totals')
  await once(head, head.getByRole('button', { name: 'Kết thúc bỏ phiếu' }), 'POST', '/close', { confirm: 'Kết thúc bỏ phiếu', name: 'close' })
  await head.getByRole('heading', { name: 'Kiểm phiếu giấy' }).waitFor()

  // 5. The figures: 5 of 6 paper ballots in the box, one without the seal; one missing, unexplained.
  check('no count before the paper figures', (await head.textContent('main')).includes('Số liệu phiếu giấy chưa khớp'))
  await head.getByLabel('Phiếu giấy thu về').fill('5')
  await head.getByLabel('Phiếu trả lại, chưa dùng').fill('0')
  await head.getByLabel('Phiếu hỏng, đã đổi').fill('1')
  await head.getByRole('button', { name: '+ Không có dấu của Hội đồng' }).click()
  await once(head, head.getByRole('button', { name: 'Lưu số liệu phiếu giấy' }), 'PUT', '/paper/figures', { name: 'save the paper figures' })
  await head.getByText('Đã lưu số liệu phiếu giấy.').waitFor()
  const problems = await head.getByTestId('problems').textContent()
  check('the missing ballot blocks the count, named by the server', problems.includes('Thiếu 1 phiếu giấy') && problems.includes('giải trình'), problems)
  check('…and so do the batches not yet entered', problems.includes('Số phiếu đã nhập trong các tập (0) khác số phiếu hợp lệ (4)'), problems)
  check('the explanation is asked for', (await head.locator('label[for=p-note]').textContent()).includes('bắt buộc') && (await head.locator('#p-note').getAttribute('aria-invalid')) === 'true')
  check('the invalid ballot is listed with its reason', (await head.getByLabel('Lý do (phiếu 1)').inputValue()) === 'Không có dấu của Hội đồng')
  await axe(head, 'board: the paper figures and the reconciliation'); await shoot(head, 'paper-figures-problems')

  // 6. Batch 1: the secretary and the member enter it, keyboard only, and agree.
  const thuky = await login(await newPage(browser, TABLET), url, 'bkp.thuky')
  const uyvien = await login(await newPage(browser), url, 'bkp.uyvien')
  await consoleOf(thuky, voteId)
  await thuky.getByRole('button', { name: 'Nhập tập mới' }).click()
  await thuky.getByRole('heading', { name: 'Nhập tập phiếu số 1' }).waitFor()
  // Mid-entry: the cursor, the running totals, an undo.
  const size = thuky.getByLabel('Số phiếu trong tập')
  await size.fill('2')
  await size.press('Tab')
  const early = []
  thuky.on('request', (r) => { if (r.url().includes('/paper/batches')) early.push(r.url()) })
  await thuky.keyboard.type('13')
  check('the cursor moves on by itself', (await thuky.getByTestId('entry-where').textContent()).replace(/\s+/g, ' ').includes('Phiếu 1/2 · dòng 3/3'))
  await thuky.keyboard.type('x')
  check('the next ballot starts after the last row', (await thuky.getByTestId('entry-where').textContent()).replace(/\s+/g, ' ').includes('Phiếu 2/2 · dòng 1/3'))
  const firstRow = await thuky.locator('table.entry-totals tbody tr').first().locator('td').allTextContents()
  check('the batch\'s running totals per person and level', firstRow.join(',') === '1,0,0,0,0', firstRow.join(','))
  await thuky.keyboard.press('Backspace')
  check('Backspace undoes the last mark, back into the previous ballot', (await thuky.getByTestId('entry-where').textContent()).replace(/\s+/g, ' ').includes('Phiếu 1/2 · dòng 3/3'))
  await thuky.keyboard.type('x0')
  await axe(thuky, 'the entry screen'); await shoot(thuky, 'paper-entry')
  await thuky.getByRole('button', { name: 'Hoàn tác' }).click()
  check('the undo button (touch)', (await thuky.getByTestId('entry-where').textContent()).replace(/\s+/g, ' ').includes('Phiếu 2/2 · dòng 1/3'))
  check('nothing sent and nothing stored while entering', early.length === 0 && await thuky.evaluate(() => localStorage.length === 0 && Object.keys(sessionStorage).every((k) => k.startsWith('tn.'))))
  await thuky.keyboard.type('0x2')
  check('the batch is full', (await thuky.getByTestId('entry-where').textContent()).replace(/\s+/g, ' ').includes('Phiếu 2/2'))
  await thuky.keyboard.press('Enter')
  await thuky.locator('dialog.app-dialog[open]').waitFor()
  await thuky.waitForTimeout(450)
  await thuky.keyboard.press('Tab')
  await thuky.keyboard.press('Enter')
  const first1 = await thuky.getByTestId('batch-outcome').textContent()
  check('the first entry is sent and waits for a second', first1.includes('cần một thành viên khác nhập lần thứ hai'), first1)
  await consoleOf(uyvien, voteId)
  check('the second member sees who entered, not what', (await uyvien.locator('tr[data-batch="1"]').textContent()).includes('Mai Thị Hằng') && !(await uyvien.textContent('main')).includes('Tín nhiệm cao'))
  await uyvien.getByRole('link', { name: 'Nhập tập 1' }).click()
  const out1 = await enterBatch(uyvien, ['13x', '0x2'], 1)
  check('batch 1: two agreeing entries settle it', out1.includes('đã chốt') && out1.includes('Hai lần nhập khớp nhau'), out1)

  // 7. Batch 2: the member and the secretary differ on one row; shown side by side; the head settles.
  await consoleOf(uyvien, voteId)
  await uyvien.getByRole('button', { name: 'Nhập tập mới' }).click()
  await enterBatch(uyvien, ['231', '322'], 2)
  await consoleOf(thuky, voteId)
  await thuky.getByRole('link', { name: 'Nhập tập 2' }).click()
  check('the batch size comes from the first entry', (await thuky.getByLabel('Số phiếu trong tập').inputValue()) === '2')
  const out2 = await enterBatch(thuky, ['231', '312'], 2)
  check('batch 2: the difference is found', out2.includes('khác nhau ở 1 phiếu'), out2)
  const diffRows = thuky.locator('table.compare tr.diff')
  check('…shown side by side, row by row, the differing row marked', (await thuky.locator('table.compare').count()) === 1 && (await diffRows.count()) === 1 &&
    (await diffRows.textContent()).includes('≠') && (await thuky.locator('table.compare thead').textContent()).includes('Tạ Văn Minh'))
  check('…and the secretary cannot settle it', (await thuky.locator('form.settle').count()) === 0)
  await axe(thuky, 'a batch whose entries differ'); await shoot(thuky, 'paper-batch-differs')
  await consoleOf(head, voteId)
  await head.getByRole('link', { name: 'So sánh tập 2' }).click()
  await head.locator('form.settle').waitFor()
  await head.getByRole('checkbox', { name: /Hiện cả các phiếu khớp nhau/ }).check()
  check('all the ballots on demand', (await head.locator('table.compare').count()) === 2)
  await head.getByRole('radio', { name: /^Theo Tạ Văn Minh/ }).check()
  await axe(head, 'the head settles a batch'); await shoot(head, 'paper-batch-settle')
  await once(head, head.getByRole('button', { name: 'Chốt tập', exact: true }), 'POST', '/settle', { confirm: 'Chốt tập', name: 'settle a batch' })
  const settled = await head.getByTestId('batch-outcome').textContent()
  check('the head settles the batch', settled.includes('đã chốt') && settled.includes('Trưởng Ban kiểm phiếu quyết định (Lương Văn Khải)'), settled)

  // 8. The explanation of the missing ballot: the figures agree, the count is there.
  await consoleOf(head, voteId)
  const batchRows = await head.locator('table.batches tbody tr').allTextContents()
  check('the batches: number, size, status, who, outcome', batchRows.length === 2 && batchRows[0].includes('Hai lần nhập khớp nhau') && batchRows[1].includes('Trưởng Ban kiểm phiếu quyết định'), batchRows.join(' | '))
  await head.getByLabel(/Giải trình phiếu thiếu/).fill('Một đại biểu ra về trước khi bỏ phiếu, mang theo phiếu giấy.')
  await once(head, head.getByRole('button', { name: 'Lưu số liệu phiếu giấy' }), 'PUT', '/paper/figures', { name: 'explain the missing ballot' })
  await head.getByTestId('reconciled').waitFor()
  check('the reconciliation goes green', (await head.getByTestId('reconciled').evaluate((el) => getComputedStyle(el).backgroundColor)) === 'rgb(220, 252, 231)')
  await head.getByRole('button', { name: 'Xem tổng phiếu giấy' }).click()
  await head.locator('table.paper-totals').waitFor()
  const totals = await head.locator('table.paper-totals tbody tr').allTextContents()
  // Paper: row 1 l, 0, l, l; row 2 h, x, h, h; row 3 x, h (2: m), m, m → as settled: 231, 322.
  check('the board\'s paper totals, for the board only', (await head.textContent('.paper-totals')).includes('không bao giờ được công bố riêng') && totals.length === 3, totals.join(' | '))
  await head.locator('table.results').waitFor()
  const tally = await apiCall(head, 'GET', `/api/v1/votes/${voteId}/tally`)
  check('the tally: both kinds together', tally.status === 200 && tally.body.ballots_received === 9 && tally.body.valid_ballots === 8, JSON.stringify({ r: tally.body.ballots_received, v: tally.body.valid_ballots }))
  await axe(head, 'board: reconciled, with the tally'); await shoot(head, 'paper-reconciled')

  // 9. The signed list, certification, the announcement and publication.
  await head.getByLabel('Số chữ ký trên danh sách').fill('10')
  await once(head, head.getByRole('form', { name: 'Danh sách đại biểu nhận phiếu' }).getByRole('button', { name: 'Lưu' }), 'PUT', '/signed-issuance', { name: 'enter the signatures' })
  await head.getByText('Đã nhập 10 chữ ký, khớp với số phiếu phát ra.').waitFor()
  await once(head, head.getByRole('button', { name: 'Xác nhận kết quả' }), 'POST', '/certifications', { confirm: 'Xác nhận kết quả', name: 'certify' })
  for (const [page] of [[thuky], [uyvien]]) {
    const r = await apiCall(page, 'POST', `/api/v1/votes/${voteId}/certifications`, { tally_hash: tally.body.tally_hash })
    check('a member certifies', r.status === 200, JSON.stringify(r.body))
  }
  await head.reload()
  await once(head, head.getByRole('button', { name: 'Công bố kết quả trước hội đồng' }), 'POST', '/announce', { confirm: 'Công bố kết quả trước hội đồng', name: 'announce' })
  await sec.getByRole('button', { name: /Danh sách cuộc lấy phiếu/ }).click()
  await sec.getByRole('button', { name: TITLE }).click()
  await sec.getByLabel('Số nghị quyết').fill('21/NQ-HĐND')
  await once(sec, sec.getByRole('button', { name: 'Công bố', exact: true }), 'POST', '/publish', { confirm: 'Công bố', name: 'publish' })
  await sec.getByText('Đã công bố theo Nghị quyết số 21/NQ-HĐND').waitFor()

  // 10. The observer's verifier: the published record, checked in a Web Worker.
  const pub = await newPage(browser)
  await pub.goto(`${url}/#/public/${voteId}`)
  await pub.locator('table.results').waitFor()
  await pub.getByRole('link', { name: 'Kiểm tra bản ghi công khai' }).first().click()
  await pub.getByRole('heading', { name: 'Kiểm tra bản ghi công khai của cuộc bỏ phiếu' }).waitFor()
  const workers = []
  pub.on('worker', (w) => workers.push(w.url()))
  await pub.getByRole('button', { name: 'Tải bản ghi' }).click()
  await pub.getByTestId('record-loaded').waitFor()
  const resolution = await (await fetch(`${url}/api/v1/public/votes/${voteId}/resolution.pdf`)).arrayBuffer()
  const resPath = join(work, 'resolution.pdf')
  writeFileSync(resPath, Buffer.from(resolution))
  await pub.locator('#v-docs').setInputFiles(resPath)
  await pub.getByText('Đã thêm 1 tài liệu.').waitFor()
  const requests = []
  pub.on('request', (r) => requests.push(r.url()))
  await pub.getByRole('button', { name: 'Kiểm tra bản ghi' }).click()
  await pub.getByTestId('verify-verdict').waitFor({ timeout: 60_000 })
  const verdict = await pub.getByTestId('verify-verdict').textContent()
  check('the observer page verifies the published record', verdict.includes('HỢP LỆ — mọi kiểm tra đều đạt'), verdict)
  check('…in a Web Worker', workers.some((w) => w.includes('verify.worker')), workers.join(','))
  check('…sending nothing to the server', requests.filter((u) => u.startsWith(url + '/api')).length === 0, requests.join(','))
  const stages = await pub.locator('ol.stages li').count()
  const full = await pub.locator('ol.stages progress').evaluateAll((ps) => ps.every((p) => p.value === p.max))
  check('a progress bar per check, each full, and the time taken', stages >= 6 && full && /Xong trong \d+,\d\d s/.test(await pub.getByTestId('verify-clock').textContent()), String(stages))
  const docRow = await pub.locator('ul.doc-results').textContent()
  check('the resolution saved from the public page is matched by its SHA-256', /resolution\.pdf\s*[0-9a-f]{16}…\s*khớp SHA-256/.test(docRow), docRow)
  const dl = pub.waitForEvent('download')
  await pub.getByRole('button', { name: 'Tải báo cáo (.txt)' }).click()
  const download = await dl
  const reportPath = join(work, 'report.txt')
  await download.saveAs(reportPath)
  check('the report can be downloaded', download.suggestedFilename() === `bao-cao-kiem-tra-${voteId}.txt` && readFileSync(reportPath, 'utf8').includes('KẾT QUẢ: HỢP LỆ'))
  await axe(pub, 'the observer\'s verifier'); await shoot(pub, 'verify-report')
  await pub.getByRole('button', { name: 'English' }).click()
  await pub.getByText('VALID — every check passed.').waitFor({ timeout: 30_000 })
  check('the report follows the language', (await pub.locator('table.checks').textContent()).includes('Recount of the plain ballots'))
  await pub.getByRole('button', { name: 'Tiếng Việt' }).click()
  await pub.getByText('HỢP LỆ — mọi kiểm tra đều đạt.').waitFor({ timeout: 30_000 })

  // A tampered record fails with its place.
  const record = Buffer.from(await (await fetch(`${url}/api/v1/public/votes/${voteId}/record`)).arrayBuffer()).toString('utf8')
  const bad = join(work, 'tinnhiem-record-tampered.json')
  writeFileSync(bad, record.replace('"tally_hash":"', '"tally_hash":"0').replace(/"tally_hash":"0(.{63})./, '"tally_hash":"0$1'))
  await pub.locator('#v-file').setInputFiles(bad)
  await pub.getByTestId('record-loaded').waitFor()
  await pub.getByRole('button', { name: 'Kiểm tra bản ghi' }).click()
  await pub.getByTestId('verify-verdict').waitFor({ timeout: 60_000 })
  check('a tampered record fails, with the first failure and its place', (await pub.getByTestId('verify-verdict').textContent()).includes('KHÔNG HỢP LỆ') &&
    (await pub.locator('.failure').textContent()).includes('Lỗi đầu tiên'), await pub.locator('.failure').textContent().catch(() => ''))
  await shoot(pub, 'verify-failure', [['desktop', lib.DESKTOP]])

  // 11. The tracking-code page: the kiosk's receipt is recorded; a code never cast is not.
  await pub.goto(`${url}/#/public/${voteId}`)
  await pub.getByRole('link', { name: 'Kiểm tra mã theo dõi' }).first().click()
  await pub.getByRole('heading', { name: 'Kiểm tra mã theo dõi' }).waitFor()
  await pub.getByRole('textbox', { name: 'Mã theo dõi' }).fill(receipts[0])
  await pub.getByRole('button', { name: 'Kiểm tra', exact: true }).click()
  await pub.getByTestId('track-answer').waitFor()
  check('the tracking page answers for the kiosk\'s receipt: counted', (await pub.getByTestId('track-answer').textContent()).includes('lá phiếu đã được tính'))
  check('…and links to the record and the verifier after publication', (await pub.getByTestId('track-answer').locator('a').count()) === 2)
  await axe(pub, 'the tracking-code page'); await shoot(pub, 'tracking-found')
  await pub.getByRole('textbox', { name: 'Mã theo dõi' }).fill('abcd efgh jkmn pqrs')
  check('a typed code is shown in groups of four', (await pub.locator('.code-groups').textContent()) === 'ABCD-EFGH-JKMN-PQRS')
  await pub.getByRole('button', { name: 'Kiểm tra', exact: true }).click()
  await pub.getByTestId('track-answer').waitFor()
  const missing = await pub.getByTestId('track-answer').textContent()
  check('a code never cast: not found, and what to do', missing.includes('Không tìm thấy') && missing.includes('báo ngay cho Ban kiểm phiếu'), missing)
  await shoot(pub, 'tracking-not-found', [['phone', lib.PHONE]])
  // The receipt's QR, from a photo, on a device without a camera.
  const photo = join(work, 'receipt.png')
  await QRCode.toFile(photo, `${url}/#/public/${voteId}/${receipts[1]}`, { width: 360, margin: 4 })
  const noCam = await newPage(browser, lib.PHONE, () => {
    if (navigator.mediaDevices) navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('none', 'NotFoundError'))
  })
  await noCam.goto(`${url}/#/public/track`)
  await noCam.getByRole('button', { name: 'Quét mã QR trên biên nhận' }).click()
  await noCam.getByText('Máy này không dùng được camera').waitFor()
  await axe(noCam, 'the tracking page scanning from a photo'); await shoot(noCam, 'tracking-scan', [['phone', lib.PHONE]])
  await noCam.locator('#tscan-file').setInputFiles(photo)
  await noCam.waitForFunction((r) => document.querySelector('#t-code')?.value === r, receipts[1])
  await noCam.getByRole('button', { name: 'Kiểm tra', exact: true }).click()
  await noCam.getByTestId('track-answer').waitFor()
  check('the receipt\'s QR read from a photo (jsQR) is checked', (await noCam.getByTestId('track-answer').textContent()).includes('lá phiếu đã được tính'))
  const lookups = []
  noCam.on('request', (r) => { if (r.url().endsWith('/api/v1/tracking-codes/lookup')) lookups.push(r.postDataJSON()) })
  await noCam.getByRole('textbox', { name: 'Mã theo dõi' }).fill('TN1R:zz')
  await noCam.getByRole('button', { name: 'Kiểm tra', exact: true }).click()
  await noCam.getByRole('alert').waitFor()
  check('a malformed code is refused in the server\'s words', (await noCam.getByRole('alert').textContent()).includes('Mã theo dõi gồm 16 ký tự') && lookups.length === 1,
    await noCam.getByRole('alert').textContent())
  await noCam.context().close()

  // 12. The National Assembly-sized record in the page (500 ballots × 50 officials), when given.
  const na = process.env.TN_RECORD_NA
  if (na && existsSync(na)) {
    const page = await newPage(browser)
    await page.goto(`${url}/#/verify`)
    await page.locator('#v-file').setInputFiles(na)
    await page.getByTestId('record-loaded').waitFor({ timeout: 60_000 })
    const docs = ['bien-ban-kiem-phieu.pdf', 'nghi-quyet.docx', 'nghi-quyet.pdf'].map((f) => join(dirname(na), f)).filter(existsSync)
    if (docs.length > 0) await page.locator('#v-docs').setInputFiles(docs)
    const t0 = Date.now()
    await page.getByRole('button', { name: 'Kiểm tra bản ghi' }).click()
    await page.getByRole('progressbar').first().waitFor()
    await page.getByTestId('verify-verdict').waitFor({ timeout: 300_000 })
    const wall = Date.now() - t0
    const verdictNA = await page.getByTestId('verify-verdict').textContent()
    const perCheck = await page.locator('table.checks tbody tr').evaluateAll((trs) => trs.map((tr) => `${tr.querySelector('th').textContent}: ${tr.lastElementChild.textContent}`))
    check('the NA-sized record verifies in the page', verdictNA.includes('HỢP LỆ'), verdictNA)
    timings.push(['NA record (500 × 50) verified in the page, click to report', wall])
    console.log(`NA record: ${verdictNA.trim()}\n  ${perCheck.join('\n  ')}`)
    await shoot(page, 'verify-na', [['desktop', lib.DESKTOP]])
  } else console.log('(TN_RECORD_NA not set: the NA-sized record is not checked in the page)')
} catch (e) {
  check('scenario', false, e.stack || String(e))
  for (const ctx of browser.contexts()) for (const p of ctx.pages()) await p.screenshot({ path: join(shots, `failure-${Math.random().toString(36).slice(2, 8)}.png`), fullPage: true }).catch(() => {})
} finally {
  await browser.close()
  server.stop()
}
for (const [what, ms] of timings) console.log(`timing: ${what}: ${ms} ms`)
sc.finish('paper e2e')
