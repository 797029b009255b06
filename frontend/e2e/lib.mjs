// Shared helpers of the end-to-end scripts (run.mjs, and the other scenarios beside it): the built
// server on a loopback port with a fresh embedded database, a check counter, axe-core, screenshots at
// desktop, tablet and phone size, logging in, answering the app's dialog, double-click checks, the
// API from a logged-in page, a fake camera showing a QR code, and reading a QR code on the screen.

import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import jsQR from 'jsqr'
import QRCode from 'qrcode'

export const here = dirname(fileURLToPath(import.meta.url))
export const root = join(here, '..', '..')
export const PHONE = { width: 390, height: 844 }
export const TABLET = { width: 800, height: 1280 }
export const DESKTOP = { width: 1280, height: 900 }
export const PROJECTOR = { width: 1920, height: 1080 }
export const PASSWORD = 'demo-tinnhiem'
const axeSource = readFileSync(join(here, '..', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8')

/** A scenario's bookkeeping: its screenshot folder (test-artifacts/screens[/name]), a scratch
 * directory, and the count of checks passed and failed. */
export function scenario(name = '') {
  const shots = join(root, 'test-artifacts', 'screens', name)
  rmSync(shots, { recursive: true, force: true }) // screenshots of an earlier run would mislead a reviewer
  mkdirSync(shots, { recursive: true })
  const sc = { shots, work: mkdtempSync(join(tmpdir(), 'tinnhiem-e2e-')), passed: 0, failed: 0, started: Date.now() }
  sc.check = (what, ok, detail = '') => {
    if (ok) sc.passed++
    else sc.failed++
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail && !ok ? ': ' + detail : ''} [${Math.round((Date.now() - sc.started) / 1000)} s]`)
  }
  /** Prints the totals and exits with the scenario's status. */
  sc.finish = (label = 'e2e') => {
    rmSync(sc.work, { recursive: true, force: true })
    console.log(`${label} took ${Math.round((Date.now() - sc.started) / 1000)} s`)
    console.log(`${label}: ${sc.passed} passed, ${sc.failed} failed`)
    process.exit(sc.failed === 0 ? 0 : 1)
  }
  return sc
}

/** Starts the built server (../bin/tinnhiem) on a loopback port with a fresh embedded database. */
export async function startServer(work, env = {}) {
  const proc = spawn(join(root, 'bin', 'tinnhiem'), ['serve', '--migrate', '--seed-demo'], {
    env: { ...process.env, TINNHIEM_ADDR: '127.0.0.1:0', TINNHIEM_DATABASE_URL: join(work, 'e2e.db'), TINNHIEM_ADMIN_PASSWORD: 'admin-e2e-password',
      TINNHIEM_LOG_LEVEL: 'warn', TINNHIEM_METRICS_ADDR: 'off', ...env },
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
  return { url, stop: () => proc.kill('SIGINT') }
}

/** Runs axe-core on the page: no serious or critical violation. */
export async function axe(sc, page, name) {
  await page.evaluate(axeSource)
  const res = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }))
  const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  sc.check(`accessibility of ${name}`, bad.length === 0, bad.map((v) => `${v.id} (${v.nodes.length}): ${v.nodes[0]?.target}`).join('; '))
}

/** Photographs the page at desktop, tablet and phone size, then puts its own size back. */
export async function shoot(sc, page, name, sizes = [['desktop', DESKTOP], ['tablet', TABLET], ['phone', PHONE]], fullPage = true) {
  const before = page.viewportSize()
  for (const [size, vp] of sizes) {
    await page.setViewportSize(vp)
    await page.waitForTimeout(60)
    await page.screenshot({ path: join(sc.shots, `${name}-${size}.png`), fullPage: fullPage && size !== 'projector' })
  }
  await page.setViewportSize(before)
}

export async function newPage(browser, viewport = DESKTOP, init) {
  const ctx = await browser.newContext({ viewport, locale: 'vi-VN' })
  if (init) await ctx.addInitScript(init)
  return ctx.newPage()
}

export async function login(page, url, username, password = PASSWORD, path = '#/login') {
  await page.goto(url + '/' + path)
  await page.getByLabel('Tên đăng nhập').fill(username)
  await page.getByLabel('Mật khẩu').fill(password)
  await page.getByRole('button', { name: 'Đăng nhập' }).click()
  await page.getByRole('button', { name: 'Đăng xuất' }).waitFor()
  return page
}

/** Answers the app's dialog; it ignores clicks in its first 400 ms (the tail of a double click). */
export async function answer(dialog, name) {
  await dialog.page().waitForTimeout(450)
  await dialog.getByRole('button', { name, exact: true }).click()
}

/** Double-clicks a state-changing button and counts the requests it sent (method + path part). If
 * it asks for confirmation, the dialog must open once; it is answered with `confirm`. */
export async function once(sc, page, button, method, pathPart, { confirm, name } = {}) {
  const sent = []
  const listen = (r) => { if (r.method() === method && r.url().includes(pathPart)) sent.push(r) }
  page.on('request', listen)
  const answered = page.waitForResponse((r) => r.request().method() === method && r.url().includes(pathPart), { timeout: 15_000 })
  answered.catch(() => {}) // awaited below; a failure before that must not end the process
  await button.dblclick()
  if (confirm) {
    const dialog = page.locator('dialog.app-dialog[open]')
    await dialog.waitFor()
    sc.check(`${name}: one confirmation dialog`, (await page.locator('dialog.app-dialog[open]').count()) === 1)
    await answer(dialog, confirm)
  }
  const res = await answered
  await page.waitForTimeout(150)
  page.off('request', listen)
  sc.check(`${name}: a double click sends one request`, sent.length === 1, `${sent.length} sent`)
  return res
}

/** The API, called from a logged-in page with its token. */
export const apiCall = (page, method, path, body) => page.evaluate(async ([m, p, b]) => {
  const r = await fetch(p, { method: m, headers: { Authorization: 'Bearer ' + sessionStorage.getItem('tn.token'), 'Content-Type': 'application/json' }, body: b ? JSON.stringify(b) : undefined })
  return { status: r.status, body: await r.json().catch(() => null) }
}, [method, path, body])

/** A Y4M video (one still frame) of a QR code, for Chromium's fake camera. */
export function qrVideo(path, text) {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' })
  const W = 640, H = 480, n = qr.modules.size, scale = Math.floor(360 / (n + 8))
  const y = Buffer.alloc(W * H, 235)
  const x0 = Math.floor((W - n * scale) / 2), y0 = Math.floor((H - n * scale) / 2)
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) {
    if (!qr.modules.get(r, c)) continue
    for (let dy = 0; dy < scale; dy++) y.fill(16, (y0 + r * scale + dy) * W + x0 + c * scale, (y0 + r * scale + dy) * W + x0 + (c + 1) * scale)
  }
  const chroma = Buffer.alloc((W / 2) * (H / 2) * 2, 128)
  writeFileSync(path, Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`), Buffer.from('FRAME\n'), y, chroma]))
}

/** Reads the QR code an <img> on the page shows, as a person's phone would: its pixels (drawn on a
 * canvas in the page) decoded by jsQR here. Null when no code is found. */
export async function readQR(img) {
  const { width, height, pixels } = await img.evaluate(async (el) => {
    await el.decode()
    const c = document.createElement('canvas')
    c.width = el.naturalWidth
    c.height = el.naturalHeight
    const ctx = c.getContext('2d')
    ctx.drawImage(el, 0, 0)
    const d = ctx.getImageData(0, 0, c.width, c.height).data
    let bin = ''
    for (let i = 0; i < d.length; i += 0x8000) bin += String.fromCharCode(...d.subarray(i, i + 0x8000))
    return { width: c.width, height: c.height, pixels: btoa(bin) }
  })
  const found = jsQR(new Uint8ClampedArray(Buffer.from(pixels, 'base64')), width, height)
  return found ? found.data : null
}

/** Launches Debian's Chromium headless, optionally with a fake camera showing a Y4M file. */
export async function launch(chromium, fakeCamera) {
  const cam = fakeCamera ? ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${fakeCamera}`] : []
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...cam],
  })
}
