// End-to-end test of the web UI in real Chromium (Debian's, driven by playwright-core), a whole vote
// as people meet it: the secretary drafts a vote (dates typed dd/mm/yyyy, select all) while her
// session expires, and the form survives the new login; the draft is edited and the board named; a
// projector link is made; the board head prints codes, registers a kiosk, is warned before opening;
// the kiosk runs a practice ballot, is told in words when no ballot was issued, goes Back, asks
// before a reload and before starting over, counts down before its idle wipe, and reads the code
// from a typed slip, a photo (camera-less browser) and a fake camera; the board issues, corrects an
// issuance, voids a slip, closes, certifies and announces; the projector shows turnout, "counting",
// then the results paged at 1920×1080, and reconnects after a network drop; the secretary previews
// the resolution and publishes (the dialog in English); the public page finds a receipt. Every
// state-changing button is double-clicked and sends one request; every screen is checked with
// axe-core (no serious or critical violation) and photographed at desktop, tablet and phone size
// (the projector at 1920×1080).
//
// Its vote is a plain one (ballot_mode "plain": codes printed by the server), chosen in the draft
// form; encrypted votes, the default, are e2e/encrypted.mjs's.
//
// It starts the built server (../bin/tinnhiem) on a loopback port with a fresh embedded database.

import { join } from 'node:path'
import QRCode from 'qrcode'
import { chromium } from 'playwright-core'
import * as lib from './lib.mjs'
import { DESKTOP, PHONE, PROJECTOR, TABLET, PASSWORD, answer, apiCall, launch, login, newPage, qrVideo, scenario, startServer } from './lib.mjs'

const sc = scenario()
const { shots, work } = sc
const check = sc.check
const axe = (page, name) => lib.axe(sc, page, name)
const shoot = (page, name, sizes, fullPage) => lib.shoot(sc, page, name, sizes, fullPage)
const once = (page, button, method, pathPart, opts) => lib.once(sc, page, button, method, pathPart, opts)

const fakeCamera = join(work, 'qr.y4m')
qrVideo(fakeCamera, 'NOTHING-YET')
const server = await startServer(work)
const browser = await launch(chromium, fakeCamera)
const { url } = server
const pad = (n) => String(n).padStart(2, '0')
const now = new Date()
const todayVN = `${pad(now.getDate())}/${pad(now.getMonth() + 1)}/${now.getFullYear()}`
const TITLE = 'Lấy phiếu tín nhiệm (thử nghiệm)'

try {
  // The home page, the login, the favicon.
  const home = await newPage(browser)
  await home.goto(url + '/')
  check('home page in Vietnamese', (await home.textContent('main')).includes('Chọn công việc'))
  check('a favicon', (await home.request.get(url + '/favicon.svg')).ok() && (await home.locator('link[rel=icon]').count()) === 1)
  await axe(home, 'home'); await shoot(home, 'home')
  await home.goto(url + '/#/login')
  await home.getByLabel('Tên đăng nhập').waitFor()
  await axe(home, 'login'); await shoot(home, 'login')

  // 1. The secretary: "no votes yet", then a draft whose session expires mid-form.
  const sec = await login(await newPage(browser), url, 'thuky')
  await sec.getByRole('tab', { name: 'Cuộc lấy phiếu' }).click()
  await sec.getByText('Chưa có cuộc lấy phiếu nào.').waitFor()
  check('"no votes yet" on an empty list', true)
  await sec.getByRole('button', { name: 'Tạo cuộc lấy phiếu' }).click()
  await sec.getByLabel('Tên cuộc lấy phiếu').fill('Bản nháp')
  await sec.getByLabel('Kỳ họp', { exact: true }).fill('Kỳ họp thứ 5')
  await sec.getByLabel('Ngày khai mạc kỳ họp').fill('')
  await sec.getByLabel('Ngày khai mạc kỳ họp').pressSequentially(todayVN.replace(/\//g, ''))
  check('dates are typed day/month/year with the slashes put in', (await sec.getByLabel('Ngày khai mạc kỳ họp').inputValue()) === todayVN)
  await sec.getByLabel('Ngày bỏ phiếu').fill(todayVN)
  check('no native date picker', (await sec.locator('input[type=date]').count()) === 0)
  await sec.getByLabel('Căn cứ', { exact: true }).waitFor()
  const rules = await sec.locator('#v-rules option').allTextContents()
  check('rule sets by their names, from the API', rules.some((r) => r.includes('96/2023')) && !rules.some((r) => /_20\d\d/.test(r)), rules.join(' | '))
  await sec.getByRole('button', { name: 'Chọn tất cả', exact: true }).click()
  check('select all officials', /Đã chọn (\d+)\/\1 người/.test(await sec.locator('fieldset.officials [role=status]').textContent()))
  await sec.getByLabel('Số nhóm').selectOption('2')
  await sec.getByLabel('Tên nhóm 1').fill('Khối Hội đồng nhân dân')
  await sec.getByLabel('Tên nhóm 2').fill('Khối Ủy ban nhân dân')
  await sec.getByLabel('Nhóm của Đoàn Quốc Huy').selectOption({ index: 1 })
  // This scenario is the plain path (codes printed by the server): chosen in the form, where
  // encrypted is the default.
  const plainMode = sec.locator('input[name="m-ballot"][value="plain"]')
  check('the draft form offers plain ballots beside the default, encrypted', (await plainMode.count()) === 1 && await sec.locator('input[name="m-ballot"][value="encrypted"]').isChecked())
  await plainMode.check()
  // A required field left empty is explained in Vietnamese, not in the browser's language.
  await sec.getByLabel('Tên cuộc lấy phiếu').fill('')
  await sec.getByRole('button', { name: 'Tạo dự thảo và xem danh sách' }).click()
  const prompt = await sec.getByLabel('Tên cuộc lấy phiếu').evaluate((el) => el.validationMessage)
  check('a required field says so in Vietnamese', prompt === 'Vui lòng điền mục này.', prompt)
  await sec.getByLabel('Tên cuộc lấy phiếu').fill(TITLE + ' — nháp')
  await axe(sec, 'secretariat: new vote'); await shoot(sec, 'secretariat-new-vote')
  // The session ends elsewhere (a logout ends every token of the account).
  const other = await login(await newPage(browser), url, 'thuky')
  await other.getByRole('button', { name: 'Đăng xuất' }).click()
  await other.context().close()
  const creates = []
  sec.on('response', (r) => { if (r.request().method() === 'POST' && /\/councils\/[^/]+\/votes$/.test(r.url())) creates.push(r.status()) })
  await sec.getByRole('button', { name: 'Tạo dự thảo và xem danh sách' }).dblclick()
  const relogin = sec.locator('dialog.relogin[open]')
  await relogin.waitFor()
  check('an expired session asks for the login again, over the kept form', (await sec.getByLabel('Tên cuộc lấy phiếu').inputValue()) === TITLE + ' — nháp')
  await axe(sec, 'the login asked again'); await shoot(sec, 'relogin', undefined, false)
  await relogin.getByLabel('Mật khẩu').fill(PASSWORD)
  await relogin.getByRole('button', { name: 'Đăng nhập' }).click()
  await sec.getByText(/Người được lấy phiếu \(\d+\)/).waitFor()
  check('…and the unsaved form is sent once logged in', creates.filter((s) => s === 201).length === 1 && creates.filter((s) => s === 401).length === 1, creates.join(','))
  const listed = await apiCall(sec, 'GET', '/api/v1/councils/' + (await apiCall(sec, 'GET', '/api/v1/me')).body.council_id + '/votes')
  check('a double click made one draft', listed.body.length === 1, String(listed.body.length))
  const voteId = listed.body[0].id
  check('the draft is a plain vote, as chosen', listed.body[0].ballot_mode === 'plain', listed.body[0].ballot_mode)
  const detail = await sec.textContent('main')
  check('exclusions shown with their reasons', detail.includes('Quách Văn Tùng — Đã có thông báo nghỉ hưu') && detail.includes('Châu Văn Lâm — Được bầu/phê chuẩn trong năm lấy phiếu'))
  check('the rule set by its name, no internal id', detail.includes('Nghị quyết') && !/NQ96_2023|QD96_2023|NQ85_2014/.test(detail))
  check('the checklist of steps', (await sec.locator('ol.checklist li').count()) >= 8 && (await sec.locator('ol.checklist li.current').textContent()).includes('Chỉ định Ban kiểm phiếu'))
  // The draft is edited.
  await sec.getByRole('button', { name: 'Sửa dự thảo' }).click()
  await sec.getByLabel('Tên cuộc lấy phiếu').fill(TITLE)
  await once(sec, sec.getByRole('button', { name: 'Lưu dự thảo' }), 'PUT', '/api/v1/votes/' + voteId, { name: 'save the draft' })
  await sec.getByRole('heading', { name: new RegExp(TITLE.replace(/[()]/g, '.')) }).waitFor()
  check('a draft can be edited', !(await sec.textContent('main')).includes('nháp'))
  check('…and stays a plain vote', (await apiCall(sec, 'GET', '/api/v1/votes/' + voteId)).body.ballot_mode === 'plain')
  for (const [who, role] of [['Lương Văn Khải', 'Trưởng ban'], ['Mai Thị Hằng', 'Thư ký'], ['Tạ Văn Minh', 'Ủy viên']]) {
    await sec.getByLabel(who).selectOption({ label: role })
  }
  await once(sec, sec.getByRole('button', { name: 'Lưu Ban kiểm phiếu' }), 'PUT', '/board', { name: 'save the board' })
  await sec.getByText('Đã lưu.').waitFor()
  await axe(sec, 'secretariat: vote detail'); await shoot(sec, 'secretariat-vote')

  // A projector link, from the settings; the projector shows that nothing is under way yet.
  await sec.getByRole('button', { name: /Danh sách cuộc lấy phiếu/ }).click()
  await sec.getByRole('tab', { name: 'Thiết lập' }).click()
  const bases = sec.getByLabel('Căn cứ (mỗi dòng một căn cứ)')
  check('the legal-basis field is large enough to read', (await bases.evaluate((el) => el.rows)) >= 8)
  await sec.getByLabel('Tên màn hình').fill('Máy chiếu hội trường')
  await once(sec, sec.getByRole('button', { name: 'Tạo liên kết' }), 'POST', '/displays', { name: 'make a projector link' })
  const projectorUrl = await sec.getByLabel('Liên kết màn hình chiếu').inputValue()
  check('a projector link with its token in the fragment', /#\/projector\/[A-Za-z0-9_-]{16,}$/.test(projectorUrl), projectorUrl)
  await axe(sec, 'secretariat: settings'); await shoot(sec, 'secretariat-settings')
  const pj = await newPage(browser, PROJECTOR)
  await pj.goto(projectorUrl)
  await pj.getByText('Chưa có cuộc lấy phiếu nào đang diễn ra.').waitFor()
  check('the projector has no staff header and no link', (await pj.locator('header.top').count()) === 0 && (await pj.locator('a').count()) === 0)
  await axe(pj, 'projector (nothing under way)')

  // 2. The board head: the console of a draft, T from the roster, a warning before opening.
  const head = await login(await newPage(browser), url, 'bkp.truongban')
  await head.goto(`${url}/#/board/${voteId}`)
  await head.getByRole('heading', { name: 'Số liệu trực tiếp (cập nhật tối đa 2 giây một lần)' }).waitFor()
  await head.getByText('Tổng số đại biểu (theo danh sách ngày bỏ phiếu)').waitFor()
  await head.waitForFunction(() => [...document.querySelectorAll('dl.turnout dd')][0]?.textContent === '50')
  check('the draft shows T from the roster', true)
  await head.getByRole('button', { name: 'Bắt đầu bỏ phiếu' }).click()
  const warn = head.locator('dialog.app-dialog[open]')
  await warn.waitFor()
  const warnText = await warn.textContent()
  check('opening with no codes and a small board warns first, in Vietnamese', warnText.includes('Chưa in mã bỏ phiếu nào') && warnText.includes('ít hơn mức thường lệ') && warnText.includes('Hủy'), warnText)
  await axe(head, 'confirmation dialog'); await shoot(head, 'dialog-open-warning', undefined, false)
  await answer(warn, 'Hủy')
  check('…and cancelling leaves the draft', (await head.locator('.board .status .badge').textContent()).includes('Dự thảo'))
  // Codes are printed: the slips open as a PDF, never on the screen.
  await head.getByLabel('Số mã cần in').fill('2')
  const pdfPage = head.context().waitForEvent('page', { timeout: 10_000 }).catch(() => null)
  await once(head, head.getByRole('button', { name: 'Tạo và in phiếu mã (PDF)' }), 'POST', '/codes', { name: 'print codes' })
  await head.getByText('Đã tạo 2 mã bỏ phiếu.').waitFor()
  check('after printing: how many, and that they cannot be shown again', (await head.textContent('main')).includes('không thể hiện lại'))
  check('the slips open as a PDF for printing', (await pdfPage) !== null)
  check('no code on the screen', !/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/.test(await head.textContent('main')))
  await head.getByRole('button', { name: 'Đã in xong' }).click()
  const codes = (await apiCall(head, 'POST', `/api/v1/votes/${voteId}/codes`, { count: 7 })).body.codes
  check('codes for the test', codes.length === 7)
  // A kiosk is registered at the desk.
  await head.getByLabel('Tên máy').fill('Máy số 1')
  await once(head, head.getByRole('button', { name: 'Đăng ký máy' }), 'POST', '/devices', { name: 'register a kiosk' })
  const kioskUrl = await head.getByLabel('Liên kết máy bỏ phiếu').inputValue()
  check('a kiosk link with its token in the fragment', /#\/kiosk\/[A-Za-z0-9_-]{16,}$/.test(kioskUrl), kioskUrl)
  await axe(head, 'board console (draft)'); await shoot(head, 'board-draft')

  // 3. The practice ballot on the registered kiosk: the real layout, marked on every screen, never sent.
  const kiosk = await newPage(browser, TABLET)
  await kiosk.clock.install()
  const casts = []
  kiosk.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/v1/ballots')) casts.push(r) })
  await kiosk.goto(kioskUrl)
  await kiosk.getByRole('button', { name: 'Mở phiếu thử' }).click()
  await kiosk.locator('ol.ballot > li').first().waitFor()
  const banner = async () => (await kiosk.locator('.practice-banner').textContent().catch(() => '')).includes('Phiếu thử — không tính')
  let marked = await banner()
  await kiosk.locator('ol.ballot > li').first().getByLabel('Tín nhiệm cao', { exact: true }).check()
  await axe(kiosk, 'kiosk: practice ballot'); await shoot(kiosk, 'kiosk-practice')
  await kiosk.getByRole('button', { name: 'Xem lại phiếu' }).click()
  marked = marked && await banner()
  await kiosk.getByRole('button', { name: 'Bỏ phiếu thử' }).click()
  await kiosk.getByText('Đã xong phiếu thử').waitFor()
  marked = marked && await banner()
  check('the practice ballot says so on every screen', marked)
  check('…and is never sent', casts.length === 0)
  await kiosk.getByRole('button', { name: 'Hoàn tất' }).click()

  // 4. The head opens; the projector shows the turnout.
  await head.reload()
  await once(head, head.getByRole('button', { name: 'Bắt đầu bỏ phiếu' }), 'POST', '/open', { confirm: 'Bắt đầu bỏ phiếu', name: 'open' })
  await head.locator('.board .status .badge', { hasText: 'Đang bỏ phiếu' }).waitFor()
  // A code entered before the board records any issuance: told in words for the delegate.
  await kiosk.getByLabel('Nhập mã bỏ phiếu in trên phiếu mã').fill(codes[0])
  await kiosk.getByRole('button', { name: 'Tiếp tục' }).click()
  await kiosk.getByRole('alert').waitFor()
  check('no ballot issued yet: said in words for the delegate', (await kiosk.textContent('[role=alert]')).includes('Xin mời đến bàn Ban kiểm phiếu'))
  // The board issues four ballots, corrects one and withdraws one.
  const issueRow = (name) => head.locator('ul.issue li').filter({ hasText: name })
  const names = (await head.locator('ul.issue li > span:first-child').allTextContents()).slice(0, 6).map((s) => s.replace(/\s*\(.*\)$/, '').trim())
  await once(head, issueRow(names[0]).getByRole('button', { name: 'Phát phiếu' }), 'POST', '/issuances', { confirm: 'Đã phát phiếu', name: 'issue' })
  await issueRow(names[0]).getByText('Đã nhận phiếu').waitFor()
  // Four more through the API (each answer waits for the turnout's snapshot), then the list again.
  const roster = (await apiCall(head, 'GET', `/api/v1/councils/${(await apiCall(head, 'GET', '/api/v1/me')).body.council_id}/delegates`)).body
  for (const n of names.slice(1, 5)) await apiCall(head, 'POST', `/api/v1/votes/${voteId}/issuances`, { delegate_id: roster.find((d) => d.full_name === n).id })
  await head.reload()
  await issueRow(names[4]).getByText('Đã nhận phiếu').waitFor()
  await issueRow(names[4]).getByRole('button', { name: 'Sửa nhầm lẫn' }).click()
  await head.getByLabel('Người thực sự đã nhận phiếu').selectOption({ label: (await head.locator('#fix-to option').nth(1).textContent()) })
  await once(head, head.getByRole('button', { name: 'Chuyển sang người này' }), 'PUT', '/issuances/', { confirm: 'Chuyển sang người này', name: 'correct an issuance' })
  await head.getByText(/Đã phát 5\/50 phiếu/).waitFor()
  await issueRow(names[2]).getByRole('button', { name: 'Sửa nhầm lẫn' }).click()
  await once(head, head.getByRole('button', { name: 'Rút lại việc phát phiếu' }), 'DELETE', '/issuances/', { confirm: 'Rút lại việc phát phiếu', name: 'withdraw an issuance' })
  await head.getByText(/Đã phát 4\/50 phiếu/).waitFor()
  // The server's turnout is a snapshot at most 2 seconds old (docs/SECURITY.md); the list is at once.
  check('issued figures update after the board’s own action', await head.waitForFunction(() => document.querySelectorAll('dl.turnout dd')[1]?.textContent === '4', null, { timeout: 4000 }).then(() => true, () => false))
  // A spoiled slip is voided (the codes' card is folded while the vote is open).
  await head.locator('summary', { hasText: 'Phiếu mã bỏ phiếu' }).click()
  await head.getByLabel('Mã cần hủy').fill(codes[6])
  await once(head, head.getByRole('button', { name: 'Hủy mã (phiếu hỏng)' }), 'POST', '/codes/void', { confirm: 'Hủy mã (phiếu hỏng)', name: 'void a code' })
  await head.getByText('Đã hủy mã.').waitFor()
  await axe(head, 'board console (open)'); await shoot(head, 'board-open')

  // 5. The kiosk: a typed code in the slip's groups, Back, then the receipt.
  await kiosk.getByLabel('Nhập mã bỏ phiếu in trên phiếu mã').fill(codes[0].toLowerCase().replace(/-/g, ''))
  const groups = (await kiosk.locator('.code-groups span').allTextContents()).join('-')
  check('the code is shown in the slip’s groups', groups === codes[0], groups)
  await axe(kiosk, 'kiosk: code'); await shoot(kiosk, 'kiosk-code')
  await kiosk.getByRole('button', { name: 'Tiếp tục' }).click()
  const rows = kiosk.locator('ol.ballot > li')
  await rows.first().waitFor()
  check('the ballot shows its groups', (await kiosk.textContent('main')).includes('Khối Ủy ban nhân dân'))
  await rows.nth(0).getByLabel('Tín nhiệm cao', { exact: true }).check()
  await kiosk.goBack()
  await kiosk.getByLabel('Nhập mã bỏ phiếu in trên phiếu mã').waitFor()
  check('Back on the ballot goes one step back, to the code, still on the kiosk', kiosk.url().includes('#/kiosk/') && (await kiosk.getByLabel('Nhập mã bỏ phiếu in trên phiếu mã').inputValue()) !== '')
  await kiosk.getByRole('button', { name: 'Tiếp tục' }).click()
  await rows.first().waitFor()
  check('…and the marks are kept', await rows.nth(0).getByLabel('Tín nhiệm cao', { exact: true }).isChecked())
  await rows.nth(1).getByLabel('Tín nhiệm thấp', { exact: true }).check()
  await axe(kiosk, 'kiosk: ballot'); await shoot(kiosk, 'kiosk-ballot')
  await kiosk.getByRole('button', { name: 'Xem lại phiếu' }).click()
  check('the review counts the blank rows', /\d+ dòng để trống/.test(await kiosk.textContent('main')))
  await axe(kiosk, 'kiosk: review'); await shoot(kiosk, 'kiosk-review')
  await kiosk.getByRole('button', { name: 'Bỏ phiếu', exact: true }).click()
  const receipts = []
  const receipt = async () => {
    const rc = kiosk.getByTestId('receipt')
    await rc.waitFor()
    receipts.push((await rc.textContent()).trim())
  }
  await receipt()
  check('the receipt with a QR and the time it stays', (await kiosk.locator('img.receipt-qr').count()) === 1 && (await kiosk.textContent('main')).includes('Màn hình sẽ tự xóa sau'))
  await axe(kiosk, 'kiosk: receipt'); await shoot(kiosk, 'kiosk-receipt')
  await kiosk.getByRole('button', { name: 'Hoàn tất' }).click()

  // A camera-less browser reads the slip from a photo.
  const photo = join(work, 'slip.png')
  await QRCode.toFile(photo, codes[1], { width: 360, margin: 4 })
  const noCam = await newPage(browser, PHONE, () => {
    if (navigator.mediaDevices) navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('none', 'NotFoundError'))
  })
  await noCam.goto(kioskUrl)
  await noCam.getByRole('button', { name: 'Quét mã QR trên phiếu mã' }).click()
  await noCam.getByText('Máy này không dùng được camera').waitFor()
  await axe(noCam, 'kiosk: scanning without a camera'); await shoot(noCam, 'kiosk-scan-photo')
  await noCam.getByLabel('Chụp hoặc chọn ảnh phiếu mã').setInputFiles(photo)
  await noCam.waitForFunction(() => document.querySelector('#code')?.value.length > 20)
  check('a photo of the slip fills in the code (jsQR)', (await noCam.getByLabel('Nhập mã bỏ phiếu in trên phiếu mã').inputValue()) === codes[1])
  await noCam.getByRole('button', { name: 'Tiếp tục' }).click()
  await noCam.locator('ol.ballot > li').first().getByLabel('Tín nhiệm', { exact: true }).check()
  await noCam.getByRole('button', { name: 'Xem lại phiếu' }).click()
  await noCam.getByRole('button', { name: 'Bỏ phiếu', exact: true }).click()
  const rc2 = noCam.getByTestId('receipt')
  await rc2.waitFor()
  receipts.push((await rc2.textContent()).trim())
  await noCam.context().close()

  // The fake camera shows the third slip; Reload and "start over" ask first.
  qrVideo(fakeCamera, codes[2])
  await kiosk.getByRole('button', { name: 'Quét mã QR trên phiếu mã' }).click()
  const camRead = await kiosk.waitForFunction(() => document.querySelector('#code')?.value.length > 20, null, { timeout: 15_000 }).then(() => true, () => false)
  check('the camera reads the slip in a browser without BarcodeDetector', camRead && (await kiosk.getByLabel('Nhập mã bỏ phiếu in trên phiếu mã').inputValue()) === codes[2])
  if (!camRead) await kiosk.getByLabel('Nhập mã bỏ phiếu in trên phiếu mã').fill(codes[2])
  await kiosk.getByRole('button', { name: 'Tiếp tục' }).click()
  await rows.first().waitFor()
  await rows.nth(0).getByLabel('Tín nhiệm thấp', { exact: true }).check()
  await kiosk.getByRole('button', { name: 'Xem lại phiếu' }).click()
  let asked = ''
  kiosk.once('dialog', (d) => { asked = d.type(); void d.dismiss() })
  await kiosk.reload({ timeout: 3000 }).catch(() => {})
  check('Reload mid-ballot asks first', asked === 'beforeunload', asked)
  check('…and staying keeps the ballot', (await kiosk.textContent('main')).includes('Kiểm tra lại trước khi bỏ phiếu'))
  await kiosk.getByRole('button', { name: 'Làm lại từ đầu' }).click()
  const startOver = kiosk.locator('dialog.app-dialog[open]')
  await startOver.waitFor()
  check('starting over asks, in Vietnamese', (await startOver.textContent()).includes('Mọi lựa chọn trên phiếu sẽ bị xóa'))
  await answer(startOver, 'Hủy')
  await kiosk.getByRole('button', { name: 'Bỏ phiếu', exact: true }).click()
  await receipt()
  await kiosk.getByRole('button', { name: 'Hoàn tất' }).click()

  // A ballot left alone: a countdown first, a touch keeps it, then the wipe.
  await kiosk.getByLabel('Nhập mã bỏ phiếu in trên phiếu mã').fill(codes[3])
  await kiosk.getByRole('button', { name: 'Tiếp tục' }).click()
  await rows.first().waitFor()
  await kiosk.waitForTimeout(300)
  await kiosk.clock.fastForward('02:46') // 14 seconds left: time for axe and a photograph
  await kiosk.getByText(/Phiếu sẽ được xóa sau \d+ giây — chạm để tiếp tục/).waitFor()
  check('a visible countdown before the idle wipe', true)
  await axe(kiosk, 'kiosk: idle countdown'); await shoot(kiosk, 'kiosk-idle', [['tablet', TABLET]])
  const keep = kiosk.getByRole('button', { name: 'Tôi vẫn đang bỏ phiếu' })
  const hit = await keep.evaluate((b) => { const r = b.getBoundingClientRect(); return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === b })
  check('the countdown’s button can be touched', hit)
  await keep.click({ timeout: 5000 })
  await kiosk.waitForTimeout(1200)
  check('a touch keeps the ballot', (await kiosk.locator('.idle-warning').count()) === 0 && (await rows.count()) > 0)
  await kiosk.clock.fastForward('03:05')
  await kiosk.getByLabel('Nhập mã bỏ phiếu in trên phiếu mã').waitFor()
  check('…and left alone it is wiped', (await kiosk.getByLabel('Nhập mã bỏ phiếu in trên phiếu mã').inputValue()) === '')
  check('nothing kept in the kiosk browser', await kiosk.evaluate(() => localStorage.length === 0 && sessionStorage.length === 0))
  await kiosk.getByLabel('Nhập mã bỏ phiếu in trên phiếu mã').fill(codes[0])
  await kiosk.getByRole('button', { name: 'Tiếp tục' }).click()
  await kiosk.getByRole('alert').waitFor()
  check('a spent code is refused in Vietnamese', (await kiosk.textContent('[role=alert]')).includes('đã được dùng'))
  // 200 % zoom of a 1280-wide window is a 640-wide layout: nothing runs off the side.
  await kiosk.setViewportSize({ width: 640, height: 450 })
  check('the kiosk works at 200 % zoom', await kiosk.evaluate(() => document.documentElement.scrollWidth <= innerWidth + 1))
  await kiosk.setViewportSize(TABLET)

  // The projector while open: the turnout, never a result; it rides out a network drop.
  await pj.getByText('Đã bỏ phiếu').first().waitFor()
  await pj.waitForFunction(() => document.querySelector('.pj-figure')?.textContent.includes('3/50'), null, { timeout: 10_000 })
  const pjText = await pj.textContent('main')
  check('projector: "Đã bỏ phiếu 3/50 (6 %)" with a bar, no result', pjText.includes('3/50') && pjText.includes('(6 %)') && (await pj.locator('.pj-bar').count()) === 1 && (await pj.locator('table').count()) === 0, pjText)
  const figure = await pj.locator('.pj-figure').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
  check('projector figures at least a tenth of the screen height', figure >= 108, String(figure))
  await axe(pj, 'projector (open)'); await shoot(pj, 'projector-open', [['projector', PROJECTOR]])
  await pj.route('**/api/v1/display', (r) => r.abort())
  await pj.getByText('Mất kết nối — đang kết nối lại…').waitFor({ timeout: 10_000 })
  check('projector: says that it is reconnecting', true)
  await shoot(pj, 'projector-reconnecting', [['projector', PROJECTOR]])
  await pj.unroute('**/api/v1/display')
  await pj.getByText('Mất kết nối — đang kết nối lại…').waitFor({ state: 'detached', timeout: 15_000 })
  check('projector: reconnects by itself', true)

  // 6. Close, certify, announce.
  await head.reload()
  await once(head, head.getByRole('button', { name: 'Kết thúc bỏ phiếu' }), 'POST', '/close', { confirm: 'Kết thúc bỏ phiếu', name: 'close' })
  await head.getByRole('button', { name: 'Xác nhận kết quả' }).waitFor()
  await pj.getByText('Đang kiểm phiếu').waitFor({ timeout: 10_000 })
  check('projector: "counting" after the close', (await pj.locator('table').count()) === 0)
  await shoot(pj, 'projector-counting', [['projector', PROJECTOR]])
  check('the tally hash as a short fingerprint, explained', /^[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$/.test((await head.locator('.fp').textContent()).trim()) && !/[0-9a-f]{64}/.test(await head.textContent('main')))
  // The signatures on the list of delegates receiving a ballot are counted first.
  await head.getByLabel('Số chữ ký trên danh sách').fill('4')
  await once(head, head.getByRole('form', { name: 'Danh sách đại biểu nhận phiếu' }).getByRole('button', { name: 'Lưu' }), 'PUT', '/signed-issuance', { name: 'enter the signatures' })
  await head.getByText('Đã nhập 4 chữ ký, khớp với số phiếu phát ra.').waitFor()
  await once(head, head.getByRole('button', { name: 'Xác nhận kết quả' }), 'POST', '/certifications', { confirm: 'Xác nhận kết quả', name: 'certify' })
  await head.getByText('Đã xác nhận').first().waitFor()
  await axe(head, 'board console (tally)'); await shoot(head, 'board-tally')
  // The other two members certify the same fingerprint, each with their own login (through the API).
  const hash = (await apiCall(head, 'GET', `/api/v1/votes/${voteId}/tally`)).body.tally_hash
  for (const user of ['bkp.thuky', 'bkp.uyvien']) {
    const ok = await head.evaluate(async ([u, pw, id, h]) => {
      const token = (await (await fetch('/api/v1/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: u, password: pw }) })).json()).token
      const r = await fetch(`/api/v1/votes/${id}/certifications`, { method: 'POST', headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' }, body: JSON.stringify({ tally_hash: h }) })
      return r.status
    }, [user, PASSWORD, voteId, hash])
    check(`${user} certifies`, ok === 200, String(ok))
  }
  // Before the announcement the secretary's publication waits for it.
  await sec.getByRole('tab', { name: 'Cuộc lấy phiếu' }).click()
  await sec.getByRole('button', { name: TITLE }).click()
  await sec.getByText('Trưởng Ban kiểm phiếu chưa công bố kết quả trước hội đồng').waitFor()
  await head.reload()
  await once(head, head.getByRole('button', { name: 'Công bố kết quả trước hội đồng' }), 'POST', '/announce', { confirm: 'Công bố kết quả trước hội đồng', name: 'announce' })
  await pj.locator('table.pj-table').waitFor({ timeout: 10_000 })
  const pages = await pj.locator('.pj-page').textContent()
  check('projector: the results, paged, with the page number', /Trang 1\/\d/.test(pages), pages)
  const fits = await pj.evaluate(() => [...document.querySelectorAll('.pj-table tr, .pj-foot')].every((el) => el.getBoundingClientRect().bottom <= innerHeight) && document.documentElement.scrollHeight <= innerHeight)
  check('projector: nothing cut at 1920×1080', fits)
  await axe(pj, 'projector (results)'); await shoot(pj, 'projector-results-1', [['projector', PROJECTOR]])
  // A 4:3 projector: the figures shrink with the width rather than spill over.
  await pj.setViewportSize({ width: 1024, height: 768 })
  await pj.waitForTimeout(300)
  const fits43 = await pj.evaluate(() => [...document.querySelectorAll('.pj-table td')].every((td) => td.scrollWidth <= td.clientWidth + 1) && document.documentElement.scrollHeight <= innerHeight)
  check('projector: a 4:3 screen is fitted too', fits43)
  await pj.screenshot({ path: join(shots, 'projector-results-4x3.png') })
  await pj.setViewportSize(PROJECTOR)
  await pj.getByText(/Trang 2\/\d/).waitFor({ timeout: 15_000 })
  check('projector: the next page comes by itself', true)
  await shoot(pj, 'projector-results-2', [['projector', PROJECTOR]])

  // 7. The secretary: the certified results beside the publish button, the preview in the browser,
  // then publication (the dialog in English).
  await sec.getByRole('button', { name: /Danh sách cuộc lấy phiếu/ }).click()
  await sec.getByRole('button', { name: TITLE }).click()
  await sec.locator('.publication table.results').waitFor()
  check('publication shows the certified results', (await sec.locator('.publication table.results tbody tr').count()) >= 2)
  await sec.getByRole('button', { name: 'Xem trước nghị quyết' }).first().click()
  await sec.locator('dialog.preview[open]').waitFor()
  const previewText = await sec.getByTestId('resolution-preview').evaluate((el) => el.shadowRoot?.textContent ?? '')
  check('the resolution preview opens in the browser, styled', previewText.includes('NGHỊ QUYẾT') &&
    await sec.getByTestId('resolution-preview').evaluate((el) => el.shadowRoot.adoptedStyleSheets.length === 1), previewText.slice(0, 80))
  await shoot(sec, 'secretariat-preview', [['desktop', DESKTOP]], false)
  await sec.locator('dialog.preview[open]').getByRole('button', { name: 'Đóng' }).click()
  await sec.getByLabel('Số nghị quyết').fill('15/NQ-HĐND')
  await axe(sec, 'secretariat: publication'); await shoot(sec, 'secretariat-publication')
  await sec.getByRole('button', { name: 'English' }).click()
  await sec.getByRole('button', { name: 'Publish', exact: true }).click()
  const en = sec.locator('dialog.app-dialog[open]')
  await en.waitFor()
  check('the confirmation dialog in English', (await en.textContent()).includes('Publish the result with resolution 15/NQ-HĐND?'))
  await answer(en, 'Cancel')
  await sec.getByRole('button', { name: 'Tiếng Việt' }).click()
  await once(sec, sec.getByRole('button', { name: 'Công bố', exact: true }), 'POST', '/publish', { confirm: 'Công bố', name: 'publish' })
  await sec.getByText('Đã công bố theo Nghị quyết số 15/NQ-HĐND').waitFor()
  check('after publishing, the resolution number is shown', true)
  await shoot(sec, 'secretariat-published')
  await sec.getByRole('tab', { name: 'Nhật ký' }).click()
  await sec.getByText('Chuỗi nhật ký toàn vẹn').waitFor()
  const audit = await sec.textContent('table.audit')
  check('audit entries as sentences, no raw JSON or ids', audit.includes('Phát phiếu cho đại biểu') && !audit.includes('{"') && !/[0-9a-f]{8}-[0-9a-f]{4}-/.test(audit), audit.slice(0, 200))
  await axe(sec, 'secretariat: audit'); await shoot(sec, 'secretariat-audit')

  // 8. The public page: percentages with a decimal comma; the receipt from the kiosk's QR link; the
  // answer follows the language switch.
  const pub = await newPage(browser)
  await pub.goto(`${url}/#/public/${voteId}/${receipts[1]}`)
  await pub.locator('table.results').waitFor()
  const ptext = await pub.textContent('table.results')
  check('public results with a decimal comma', /\d,\d\d%/.test(ptext) && !/\d\.\d\d%/.test(ptext), ptext.slice(0, 200))
  await pub.getByRole('button', { name: 'Xem' }).click()
  check('a receipt is found', (await pub.textContent('p[role=status]')).includes('lá phiếu đã được tính'))
  await pub.getByRole('button', { name: 'English' }).click()
  check('…and the answer follows the language', (await pub.textContent('p[role=status]')).includes('counted'))
  await axe(pub, 'public results'); await shoot(pub, 'public')

  // 9. A failed load is an error with a retry, never an empty list.
  const adm = await login(await newPage(browser), url, 'admin', 'admin-e2e-password')
  await adm.route('**/delegates?*', (r) => r.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'internal', message: 'Lỗi máy chủ.', fields: {} }, request_id: 'x' }) }))
  await adm.goto(url + '/#/secretariat')
  await adm.getByRole('tab', { name: 'Đại biểu' }).click()
  await adm.getByRole('button', { name: 'Thử lại' }).waitFor()
  check('a failed load shows the error and a retry, not an empty list', !(await adm.textContent('main')).includes('(0)'))
  await adm.unroute('**/delegates?*')
  await adm.getByRole('button', { name: 'Thử lại' }).click()
  await adm.getByRole('heading', { level: 2, name: /Đại biểu \(50\)/ }).waitFor()
  check('…and the retry loads it', true)
  await adm.getByRole('tab', { name: 'Thiết lập' }).click()
  await adm.getByRole('heading', { name: 'Tài khoản cán bộ' }).waitFor()
  await axe(adm, 'admin: settings and accounts'); await shoot(adm, 'admin-settings')
  // Switching user from the header, without logging out.
  await adm.getByRole('link', { name: 'Đổi người dùng' }).click()
  await adm.getByLabel('Tên đăng nhập').fill('quansat')
  await adm.getByLabel('Mật khẩu').fill(PASSWORD)
  await adm.getByRole('button', { name: 'Đăng nhập' }).click()
  await adm.getByText('Phùng Thị Lan').waitFor()
  check('switch user from the header', adm.url().includes('#/hall'))
  // The observer's hall screen is the projector's view, from the staff login.
  await adm.goto(`${url}/#/hall/${voteId}`)
  await adm.locator('.hall table.pj-table').waitFor()
  await axe(adm, 'observer: hall screen'); await shoot(adm, 'hall-observer', [['desktop', DESKTOP]], false)

  // 10. The expiry warning, a few minutes before the token runs out.
  const exp = await newPage(browser)
  await exp.clock.install()
  await login(exp, url, 'thuky')
  await exp.clock.fastForward('07:56:00')
  await exp.getByText(/Phiên đăng nhập sẽ hết hạn sau khoảng \d phút/).waitFor({ timeout: 30_000 })
  check('a warning before the session expires', true)
  await shoot(exp, 'expiry-warning', [['desktop', DESKTOP]])
} catch (e) {
  check('scenario', false, e.stack || String(e))
  for (const ctx of browser.contexts()) for (const p of ctx.pages()) await p.screenshot({ path: join(shots, `failure-${Math.random().toString(36).slice(2, 8)}.png`) }).catch(() => {})
} finally {
  await browser.close()
  server.stop()
}
sc.finish('e2e')
