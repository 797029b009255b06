// End-to-end test of the web UI in real Chromium (Debian's, driven by playwright-core): a secretary
// sets up a vote; the board opens it and issues ballots; three delegates cast (one leaving a row
// blank); the board closes; each member certifies; the secretary publishes; the public page shows the
// percentages with a decimal comma and finds a receipt. Also: a wrong code gets a clear Vietnamese
// message, and the hall display shows no result while the vote is open. Every screen is checked with
// axe-core (no serious or critical violation) and photographed at tablet and desktop size.
//
// It starts the built server (../bin/tinnhiem) on a loopback port with a fresh embedded database.

import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..', '..')
const shots = join(root, 'test-artifacts', 'screens')
rmSync(shots, { recursive: true, force: true }) // screenshots of an earlier run would mislead a reviewer
mkdirSync(shots, { recursive: true })
const axeSource = readFileSync(join(here, '..', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8')
const TABLET = { width: 800, height: 1280 }
const DESKTOP = { width: 1280, height: 900 }
let passed = 0
let failed = 0
const results = []

function check(name, ok, detail = '') {
  if (ok) passed++
  else failed++
  results.push(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ': ' + detail : ''}`)
  console.log(results.at(-1))
}

async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'tinnhiem-e2e-'))
  const proc = spawn(join(root, 'bin', 'tinnhiem'), ['serve', '--migrate', '--seed-demo'], {
    env: { ...process.env, TINNHIEM_ADDR: '127.0.0.1:0', TINNHIEM_DATABASE_URL: join(dir, 'e2e.db'), TINNHIEM_ADMIN_PASSWORD: 'admin-e2e-password', TINNHIEM_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not start')), 60_000)
    proc.stdout.on('data', (b) => {
      const m = String(b).match(/http:\/\/(127\.0\.0\.1:\d+)/)
      if (m) { clearTimeout(timer); resolve('http://' + m[1]) }
    })
    proc.on('exit', (code) => reject(new Error('the server exited: ' + code)))
  })
  return { url, stop: () => { proc.kill('SIGINT'); rmSync(dir, { recursive: true, force: true }) } }
}

async function axe(page, name) {
  await page.evaluate(axeSource)
  const res = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }))
  const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  check(`accessibility of ${name}`, bad.length === 0, bad.map((v) => `${v.id} (${v.nodes.length}): ${v.nodes[0]?.target}`).join('; '))
}

async function shoot(page, name) {
  for (const [size, vp] of [['tablet', TABLET], ['desktop', DESKTOP]]) {
    await page.setViewportSize(vp)
    await page.screenshot({ path: join(shots, `${name}-${size}.png`), fullPage: true })
  }
}

async function login(browser, url, username, password = 'demo-tinnhiem') {
  const ctx = await browser.newContext({ viewport: DESKTOP, locale: 'vi-VN' })
  const page = await ctx.newPage()
  page.on('dialog', (d) => d.accept())
  await page.goto(url + '/#/login')
  await page.getByLabel('Tên đăng nhập').fill(username)
  await page.getByLabel('Mật khẩu').fill(password)
  await page.getByRole('button', { name: 'Đăng nhập' }).click()
  await page.getByRole('button', { name: 'Đăng xuất' }).waitFor()
  return page
}

const server = await startServer()
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
})
try {
  const url = server.url
  const today = new Date().toISOString().slice(0, 10)

  // The home page and the login.
  const home = await (await browser.newContext({ viewport: DESKTOP })).newPage()
  await home.goto(url + '/')
  check('home page in Vietnamese', (await home.textContent('main')).includes('Chọn công việc'))
  await axe(home, 'home'); await shoot(home, 'home')
  await home.goto(url + '/#/login')
  await home.getByLabel('Tên đăng nhập').waitFor()
  await axe(home, 'login'); await shoot(home, 'login')

  // 1. The secretary sets up a vote.
  const sec = await login(browser, url, 'thuky')
  await sec.getByRole('tab', { name: 'Cuộc lấy phiếu' }).click()
  await sec.getByRole('button', { name: 'Tạo cuộc lấy phiếu' }).click()
  await sec.getByLabel('Tên cuộc lấy phiếu').fill('Lấy phiếu tín nhiệm (thử nghiệm)')
  await sec.getByLabel('Kỳ họp', { exact: true }).fill('Kỳ họp thứ 5')
  await sec.getByLabel('Ngày khai mạc kỳ họp').fill(today)
  await sec.getByLabel('Ngày bỏ phiếu').fill(today)
  const boxes = sec.locator('fieldset input[type=checkbox]')
  for (const name of ['Nguyễn Văn Thành', 'Đoàn Quốc Huy', 'Quách Văn Tùng', 'Châu Văn Lâm']) {
    await sec.locator('fieldset label.check', { hasText: name }).locator('input').check()
  }
  check('officials offered', (await boxes.count()) >= 10)
  // Two ballot groups, as the National Assembly prints them: the UBND chair on the second.
  await sec.getByLabel('Số nhóm').selectOption('2')
  await sec.getByLabel('Tên nhóm 1').fill('Khối Hội đồng nhân dân')
  await sec.getByLabel('Tên nhóm 2').fill('Khối Ủy ban nhân dân')
  await sec.getByLabel('Nhóm của Đoàn Quốc Huy').selectOption({ label: '2' })
  await axe(sec, 'secretariat: new vote'); await shoot(sec, 'secretariat-new-vote')
  await sec.getByRole('button', { name: 'Tạo dự thảo và xem danh sách' }).click()
  await sec.getByText('Người được lấy phiếu (2)').waitFor()
  const detail = await sec.textContent('main')
  check('exclusions shown with their reasons', detail.includes('Quách Văn Tùng — Đã có thông báo nghỉ hưu') && detail.includes('Châu Văn Lâm — Được bầu/phê chuẩn trong năm lấy phiếu'))
  for (const [who, role] of [['Lương Văn Khải', 'Trưởng ban'], ['Mai Thị Hằng', 'Thư ký'], ['Tạ Văn Minh', 'Ủy viên']]) {
    await sec.getByLabel(new RegExp(who)).selectOption({ label: role })
  }
  await sec.getByRole('button', { name: 'Lưu Ban kiểm phiếu' }).click()
  await sec.getByText('Đã lưu.').waitFor()
  await axe(sec, 'secretariat: vote detail'); await shoot(sec, 'secretariat-vote')
  const voteId = await sec.evaluate(async () => {
    const r = await fetch('/api/v1/councils/' + (await (await fetch('/api/v1/me', { headers: { Authorization: 'Bearer ' + sessionStorage.getItem('tn.token') } })).json()).council_id + '/votes',
      { headers: { Authorization: 'Bearer ' + sessionStorage.getItem('tn.token') } })
    return (await r.json())[0].id
  })
  check('vote created', /^[0-9a-f-]{36}$/.test(voteId))

  // 2. The board opens it, makes codes for three seat tablets and issues three ballots.
  const head = await login(browser, url, 'bkp.truongban')
  await head.goto(`${url}/#/board/${voteId}`)
  const codes = []
  for (let i = 0; i < 4; i++) {
    await head.getByRole('button', { name: 'Tạo mã cho máy tính bảng' }).click()
    const fig = head.locator('figure.qr code')
    await fig.waitFor()
    codes.push((await fig.textContent()).trim())
    await head.getByRole('button', { name: 'Đóng' }).click()
  }
  check('four codes shown once each', new Set(codes).size === 4 && codes.every((c) => c.length === 33))
  await head.getByRole('button', { name: 'Bắt đầu bỏ phiếu' }).click()
  await head.getByText('Đang bỏ phiếu').first().waitFor()
  for (let i = 0; i < 3; i++) {
    await head.locator('ul.issue li').filter({ has: head.getByRole('button', { name: 'Phát phiếu' }) }).first().getByRole('button', { name: 'Phát phiếu' }).click()
    await head.waitForFunction((n) => document.querySelectorAll('ul.issue .badge.ok').length >= n, i + 1)
  }
  await axe(head, 'board console (open)'); await shoot(head, 'board-open')

  // The hall display shows turnout, never a result, while the vote is open.
  const hall = await login(browser, url, 'quansat')
  await hall.goto(`${url}/#/hall/${voteId}`)
  await hall.getByText('Kết quả sẽ được công bố sau khi kiểm phiếu.').waitFor()
  const hallText = await hall.textContent('main')
  check('hall display: no result while open', !hallText.includes('%') && hallText.includes('Tổng số đại biểu') && hallText.includes('50'))
  await axe(hall, 'hall display'); await shoot(hall, 'hall-open')

  // 3. Three delegates cast on a tablet; a wrong code gets a clear Vietnamese message.
  const kctx = await browser.newContext({ viewport: TABLET, locale: 'vi-VN' })
  const kiosk = await kctx.newPage()
  await kiosk.goto(url + '/#/kiosk')
  const wrong = codes[3].slice(0, 5) + (codes[3][5] === 'A' ? 'B' : 'A') + codes[3].slice(6)
  await kiosk.getByLabel('Nhập mã bỏ phiếu in trên phiếu mã').fill(wrong)
  check('a mistyped code is caught at once, in Vietnamese', (await kiosk.textContent('#code-check')).includes('có ký tự bị nhập sai'))
  check('…and cannot be sent', await kiosk.getByRole('button', { name: 'Tiếp tục' }).isDisabled())
  await axe(kiosk, 'kiosk: code'); await shoot(kiosk, 'kiosk-code')
  const receipts = []
  const plans = [['Tín nhiệm cao', 'Tín nhiệm cao'], ['Tín nhiệm thấp', null], ['Tín nhiệm thấp', 'Tín nhiệm']]
  for (let i = 0; i < 3; i++) {
    await kiosk.getByLabel('Nhập mã bỏ phiếu in trên phiếu mã').fill(codes[i].toLowerCase())
    await kiosk.getByRole('button', { name: 'Tiếp tục' }).click()
    const rows = kiosk.locator('ol.ballot > li')
    await rows.first().waitFor()
    for (let r = 0; r < 2; r++) {
      if (plans[i][r]) await rows.nth(r).getByLabel(plans[i][r], { exact: true }).check()
    }
    if (i === 1) {
      check('the ballot shows its groups', (await kiosk.textContent('main')).includes('Khối Ủy ban nhân dân'))
      await axe(kiosk, 'kiosk: ballot'); await shoot(kiosk, 'kiosk-ballot')
    }
    await kiosk.getByRole('button', { name: 'Xem lại phiếu' }).click()
    if (i === 1) {
      check('the review says a row is blank', (await kiosk.textContent('main')).includes('1 dòng để trống'))
      await axe(kiosk, 'kiosk: review'); await shoot(kiosk, 'kiosk-review')
    }
    await kiosk.getByRole('button', { name: 'Bỏ phiếu' }).click()
    const rc = kiosk.getByTestId('receipt')
    await rc.waitFor()
    receipts.push((await rc.textContent()).trim())
    if (i === 0) { await axe(kiosk, 'kiosk: receipt'); await shoot(kiosk, 'kiosk-receipt') }
    await kiosk.getByRole('button', { name: 'Hoàn tất' }).click()
  }
  check('three receipts', receipts.length === 3 && receipts.every((r) => /^[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(r)))
  check('nothing kept in the kiosk browser', await kiosk.evaluate(() => localStorage.length === 0 && sessionStorage.length === 0))
  await kiosk.getByLabel('Nhập mã bỏ phiếu in trên phiếu mã').fill(codes[0])
  await kiosk.getByRole('button', { name: 'Tiếp tục' }).click()
  await kiosk.getByRole('alert').waitFor()
  check('a spent code is refused in Vietnamese', (await kiosk.textContent('[role=alert]')).includes('đã được dùng'))

  // 4. The board closes; each member certifies with their own login.
  await head.reload()
  await head.getByRole('button', { name: 'Kết thúc bỏ phiếu' }).click()
  await head.getByRole('button', { name: 'Xác nhận kết quả' }).waitFor()
  await head.getByRole('button', { name: 'Xác nhận kết quả' }).click()
  await head.getByText('Đã xác nhận').first().waitFor()
  await axe(head, 'board console (tally)'); await shoot(head, 'board-tally')
  for (const user of ['bkp.thuky', 'bkp.uyvien']) {
    const m = await login(browser, url, user)
    await m.goto(`${url}/#/board/${voteId}`)
    await m.getByRole('button', { name: 'Xác nhận kết quả' }).click()
    await m.getByText('Ban kiểm phiếu đã xác nhận').first().waitFor({ timeout: 10_000 }).catch(() => {})
    await m.context().close()
  }

  // 5. The secretary publishes.
  await sec.reload()
  await sec.getByRole('tab', { name: 'Cuộc lấy phiếu' }).click()
  await sec.getByRole('button', { name: 'Lấy phiếu tín nhiệm (thử nghiệm)' }).click()
  await sec.getByLabel('Số nghị quyết').fill('15/NQ-HĐND')
  await sec.getByRole('button', { name: 'Công bố' }).click()
  await sec.getByText('Đã công bố. Văn bản đã được niêm phong.').waitFor()
  check('published after every certification', true)
  await shoot(sec, 'secretariat-published')
  for (const tab of ['Đại biểu', 'Người giữ chức vụ', 'Thiết lập văn bản', 'Nhật ký']) {
    await sec.getByRole('tab', { name: tab }).click()
    await sec.waitForTimeout(300)
    await axe(sec, 'secretariat: ' + tab); await shoot(sec, 'secretariat-' + tab.replace(/\s/g, '-'))
  }
  check('audit chain intact', (await sec.textContent('main')).includes('Chuỗi nhật ký toàn vẹn'))

  // 6. The public page lists the published vote; its results show percentages with a decimal comma,
  // and a receipt is found.
  const pub = await (await browser.newContext({ viewport: DESKTOP, locale: 'vi-VN' })).newPage()
  await pub.goto(`${url}/#/public`)
  await pub.getByRole('link', { name: 'Lấy phiếu tín nhiệm (thử nghiệm)' }).click()
  await pub.locator('table.results').waitFor()
  const ptext = await pub.textContent('table.results')
  check('public results with a decimal comma', ptext.includes('4,00%') && ptext.includes('2,00%') && !/\d\.\d\d%/.test(ptext), ptext.slice(0, 200))
  await pub.getByLabel('Mã biên nhận').fill(receipts[1].toLowerCase())
  await pub.getByRole('button', { name: 'Xem' }).click()
  check('a receipt is found', (await pub.textContent('[role=status]')).includes('lá phiếu đã được tính'))
  await axe(pub, 'public results'); await shoot(pub, 'public')
  await pub.getByRole('button', { name: 'English' }).click()
  check('English by the switch', (await pub.textContent('main')).includes('Check that my ballot was counted'))

  // The admin adds a council.
  const adm = await login(browser, url, 'admin', 'admin-e2e-password')
  await adm.goto(url + '/#/secretariat')
  await adm.getByText('Thêm hội đồng').click()
  await adm.getByLabel('Tên hội đồng').fill('Hội đồng nhân dân tỉnh Thử')
  await adm.getByLabel('Địa danh (ví dụ: tỉnh Thái Nguyên)').fill('tỉnh Thử')
  await adm.getByLabel('Khóa').fill('XI')
  await adm.getByRole('button', { name: 'Thêm', exact: true }).click()
  await adm.getByRole('heading', { name: /Hội đồng nhân dân tỉnh Thử/ }).waitFor()
  check('the admin adds a council', true)

  // …and keeps its roster: adds a delegate, then records that they left and deactivates them.
  await adm.getByRole('tab', { name: 'Cuộc lấy phiếu' }).focus()
  await adm.keyboard.press('ArrowLeft')
  await adm.keyboard.press('ArrowLeft')
  check('tabs move with the arrow keys', await adm.getByRole('tab', { name: 'Đại biểu' }).evaluate((el) => el.getAttribute('aria-selected') === 'true' && document.activeElement === el))
  const addD = adm.getByRole('form', { name: 'Thêm đại biểu' })
  await addD.getByLabel('Họ và tên').fill('Lê Thị Thử')
  await addD.getByLabel('Mã đại biểu').fill('T01')
  await addD.getByRole('button', { name: 'Thêm', exact: true }).click()
  await adm.getByRole('button', { name: 'Sửa: Lê Thị Thử' }).click()
  const editD = adm.getByRole('form', { name: 'Sửa: Lê Thị Thử' })
  await editD.getByLabel('Ngày thôi (nếu có)').fill('2026-01-31')
  await editD.getByLabel('Còn hoạt động').uncheck()
  await axe(adm, 'secretariat: editing a delegate'); await shoot(adm, 'secretariat-edit-delegate')
  await editD.getByRole('button', { name: 'Lưu', exact: true }).click()
  await adm.getByText('Đã lưu.').waitFor()
  // The list reloads after the notice appears: wait for it rather than read it at once.
  const gone = await adm.getByRole('heading', { level: 2, name: 'Đại biểu (0)' }).waitFor({ timeout: 5000 }).then(() => true, () => false)
  check('a deactivated delegate leaves the list', gone, await adm.getByRole('heading', { level: 2 }).textContent())
  await adm.getByLabel('Hiện cả người đã thôi').check()
  await adm.getByRole('cell', { name: 'Lê Thị Thử (đã thôi)' }).waitFor()
  check('…and is listed with those who left', (await adm.textContent('table')).includes('31/01/2026'))

  // An official with two posts.
  await adm.getByRole('tab', { name: 'Người giữ chức vụ' }).click()
  const addO = adm.getByRole('form', { name: 'Thêm người giữ chức vụ' })
  await addO.getByLabel('Họ và tên').fill('Trần Văn Thử')
  await addO.getByLabel('Chức vụ (in trên phiếu)').fill('Chủ tịch Hội đồng nhân dân tỉnh')
  await addO.getByLabel('Ngày bầu/phê chuẩn').fill('2024-05-01')
  await addO.getByRole('button', { name: 'Thêm chức vụ' }).click()
  await addO.getByLabel('Loại chức vụ').nth(1).selectOption({ index: 1 })
  await addO.getByLabel('Chức vụ (in trên phiếu)').nth(1).fill('Trưởng Ban Pháp chế')
  await addO.getByLabel('Ngày bầu/phê chuẩn').nth(1).fill('2024-05-02')
  await addO.getByRole('button', { name: 'Thêm', exact: true }).click()
  await adm.getByRole('cell', { name: 'Chủ tịch Hội đồng nhân dân tỉnh; Trưởng Ban Pháp chế' }).waitFor()
  check('an official is added with two posts', true)

  // The hall display after publication shows the results.
  await hall.reload()
  await hall.locator('table.results').waitFor()
  check('hall display: results after publication', (await hall.textContent('table.results')).includes('%'))
  await shoot(hall, 'hall-published')
} catch (e) {
  check('scenario', false, e.stack || String(e))
  for (const ctx of browser.contexts()) for (const p of ctx.pages()) await p.screenshot({ path: join(shots, `failure-${Math.random().toString(36).slice(2, 8)}.png`) }).catch(() => {})
} finally {
  await browser.close()
  server.stop()
}
console.log(`e2e: ${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
