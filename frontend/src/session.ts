// The staff session: who is logged in, until when, and what happens when the server answers 401 —
// the login is asked again over the screen (which stays, with its unsaved form), and the request
// that failed is sent once more when the same person is back. The page's secrets (an opened key file,
// a running key ceremony's: secrets.ts) are wiped on logout, when the login expires and when another
// person logs in.

import { html } from 'htm/preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import { api, getExpiry, getToken, onUnauthorized, setSession, unwrap, User } from './api'
import { t } from './i18n'
import { wipeSecrets } from './secrets'
import { LoginForm } from './screens/login'

let me: User | null = null
let ready = false
const listeners = new Set<() => void>()
const notify = () => listeners.forEach((f) => f())

export function currentUser(): User | null {
  return me
}

function setMe(u: User | null) {
  if (me && me.id !== u?.id) wipeSecrets() // logout, or another person
  me = u
  ready = true
  armExpiry()
  notify()
}

// The login's expiry: the secrets go with it, even if nobody touches the page.
let expiryTimer: ReturnType<typeof setTimeout> | null = null
function armExpiry() {
  if (expiryTimer) clearTimeout(expiryTimer)
  expiryTimer = null
  const exp = Date.parse(getExpiry())
  if (!me || !exp) return
  // setTimeout holds at most 2^31-1 ms (24.8 days); a login never lasts that long.
  expiryTimer = setTimeout(wipeSecrets, Math.min(Math.max(0, exp - Date.now()), 2 ** 31 - 1))
}

/** The logged-in person (null when none) and whether the first check is done. */
export function useSession(): { me: User | null; ready: boolean } {
  const [, force] = useState(0)
  // What this render saw: the first check can finish between the render and the effect below
  // (before the listener exists), and the screen would stay on "loading" for good.
  const seen = { me, ready }
  useEffect(() => {
    const f = () => force((x) => x + 1)
    listeners.add(f)
    if (seen.me !== me || seen.ready !== ready) f()
    return () => { listeners.delete(f) }
  }, [])
  return { me, ready }
}

/** Checks a token kept from earlier in this tab. */
export async function restoreSession() {
  if (!getToken()) return setMe(null)
  try {
    setMe(await unwrap(api.GET('/api/v1/me')))
  } catch {
    setSession('')
    setMe(null)
  }
}

export async function login(username: string, password: string): Promise<User> {
  const res = await unwrap(api.POST('/api/v1/auth/login', { body: { username, password } }))
  setSession(res.token, res.expires_at)
  setMe(res.user)
  return res.user
}

/** Logs out on the server (every token of the account stops working), then forgets the token. */
export async function logout() {
  try {
    if (getToken()) await api.POST('/api/v1/auth/logout')
  } catch {
    /* offline: the token is forgotten here all the same */
  } finally {
    setSession('')
    wipeSecrets()
    setMe(null)
  }
}

// The one pending re-login: every request that got a 401 meanwhile waits for it.
let asking: Promise<boolean> | null = null
let openDialog: ((done: (sameUser: boolean) => void) => void) | null = null

function askAgain(): Promise<boolean> {
  if (!openDialog) return Promise.resolve(false)
  if (!asking) asking = new Promise<boolean>((resolve) => openDialog!((same) => { asking = null; resolve(same) }))
  return asking
}

/** Asks for the login again now (e.g. before the token expires). */
export function extendSession() {
  void askAgain()
}

/** The dialog that asks for the login again; mounted once by the app. */
export function ReloginHost() {
  const [done, setDone] = useState<((same: boolean) => void) | null>(null)
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    openDialog = (d) => setDone(() => d)
    onUnauthorized(() => (me ? askAgain() : Promise.resolve(false)))
    return () => { openDialog = null; onUnauthorized(null) }
  }, [])
  useEffect(() => {
    if (done && ref.current && !ref.current.open) ref.current.showModal()
  }, [done])
  const finish = (same: boolean) => {
    ref.current?.close()
    done?.(same)
    setDone(null)
  }
  const before = me
  return html`<dialog ref=${ref} class="app-dialog relogin" aria-labelledby="relogin-title" onCancel=${(e: Event) => { e.preventDefault(); finish(false) }}>
    ${done && html`<h2 id="relogin-title">${t('relogin_title')}</h2>
      <p>${t('relogin_body')}</p>
      <${LoginForm} username=${before?.username ?? ''} onLogin=${(u: User) => finish(!!before && u.id === before.id)} />
      <button type="button" class="link" onClick=${() => finish(false)}>${t('cancel')}</button>`}
  </dialog>`
}

/** A warning a few minutes before the token expires, with a way to log in again. */
export function ExpiryWarning() {
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 15_000)
    return () => clearInterval(id)
  }, [])
  const exp = Date.parse(getExpiry())
  if (!me || !exp) return null
  const left = Math.ceil((exp - now) / 60_000)
  if (left > 5) return null
  return html`<div class="expiry" role="status">
    <span>${left > 0 ? t('expiry_soon', { m: left }) : t('expiry_past')}</span>
    <button type="button" onClick=${extendSession}>${t('expiry_extend')}</button></div>`
}
