// The board member's opened key files, in this page's memory only (never in any browser storage): a
// key is kept from its opening until the duty that needed it is done (forgetKey), until 10 minutes
// pass without a key press or a click on the page, or until the session ends (secrets.ts). The
// joint key each ceremony gave this browser — computed in its own round 3, or read from the member's
// own file — is remembered apart: it is public, and the console checks the vote's manifest against it.

import type { ShareKey } from '../../protocol'
import { onWipe } from '../../secrets'

/** How long an opened key stays without any activity on the page. */
export const KEY_IDLE_MS = 10 * 60_000

const opened = new Map<string, ShareKey>()
const groupKeys = new Map<string, string>()
const listeners = new Set<() => void>()
let timer: ReturnType<typeof setTimeout> | null = null
let watching = false

const notify = () => listeners.forEach((f) => f())

/** Zeroes a key's bytes (the signing seed; a bigint cannot be overwritten, its reference is dropped). */
export function wipeKey(k: ShareKey): void {
  k.signingSeed.fill(0)
}

function arm() {
  if (timer) clearTimeout(timer)
  timer = opened.size > 0 ? setTimeout(forgetAllKeys, KEY_IDLE_MS) : null
  const want = opened.size > 0 && typeof window !== 'undefined'
  if (want !== watching) {
    for (const ev of ['pointerdown', 'keydown'] as const) (want ? addEventListener : removeEventListener)(ev, touchKeys, true)
    watching = want
  }
}

/** Keeps an opened key for this page, by ceremony (a key already kept for it is wiped). */
export function keepKey(k: ShareKey): void {
  const old = opened.get(k.ceremonyId)
  if (old && old !== k) wipeKey(old)
  opened.set(k.ceremonyId, k)
  rememberGroupKey(k.ceremonyId, k.groupKey.hex, false)
  arm()
  notify()
}

/** Forgets (and wipes) the opened key of a ceremony: after each duty that used it. */
export function forgetKey(ceremonyId: string): void {
  const k = opened.get(ceremonyId)
  if (!k) return
  opened.delete(ceremonyId)
  wipeKey(k)
  arm()
  notify()
}

/** Forgets every opened key. */
export function forgetAllKeys(): void {
  const had = opened.size > 0
  opened.forEach(wipeKey)
  opened.clear()
  arm()
  if (had) notify()
}

/** Activity on the page: the opened keys stay another KEY_IDLE_MS. */
export function touchKeys(): void {
  if (opened.size > 0) arm()
}

/** The key of a ceremony opened in this page, if any. */
export const keptKey = (ceremonyId: string | undefined): ShareKey | null => (ceremonyId && opened.get(ceremonyId)) || null

/** Remembers the joint key this browser computed for a ceremony, or read from the member's own file. */
export function rememberGroupKey(ceremonyId: string, hex: string, tell = true): void {
  if (groupKeys.get(ceremonyId) === hex) return
  groupKeys.set(ceremonyId, hex)
  if (tell) notify()
}

/** The joint key this browser knows for a ceremony ('' when it knows none: the page was reloaded). */
export const knownGroupKey = (ceremonyId: string): string => groupKeys.get(ceremonyId) ?? ''

/** Calls f whenever a key opens or closes, or a joint key becomes known; returns the unsubscription. */
export function onKeysChange(f: () => void): () => void {
  listeners.add(f)
  return () => { listeners.delete(f) }
}

onWipe(forgetAllKeys)
