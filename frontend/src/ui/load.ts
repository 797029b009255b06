import type { VNode } from 'preact'
import { html } from 'htm/preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import { ApiError } from '../api'
import { fieldLabel, lang, t } from '../i18n'
import { ProtocolError } from '../protocol/errors'
import { CODE_WORDS, tr } from '../record/messages'

export interface Loader<T> {
  data: T | null
  error: unknown
  loading: boolean
  reload: () => void
  setData: (d: T) => void
}

/** Loads data (again whenever deps change; reload() loads it again). A null loader loads nothing. */
export function useLoad<T>(load: (() => Promise<T>) | null, deps: unknown[] = []): Loader<T> {
  const [data, setData] = useState<T | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [loading, setLoading] = useState(load !== null)
  const [n, setN] = useState(0)
  const fn = useRef(load)
  fn.current = load
  useEffect(() => {
    const f = fn.current
    if (!f) return
    let live = true
    setError(null)
    setLoading(true)
    f().then(
      (d) => { if (live) { setData(d); setLoading(false) } },
      (e) => { if (live) { setError(e); setLoading(false) } },
    )
    return () => { live = false }
  }, [n, load === null, ...deps])
  return { data, error, loading, reload: () => setN((x) => x + 1), setData }
}

/** A check of this browser that failed, in the UI's words: where (the message's field) and what is wrong. */
export function protocolText(e: ProtocolError): string {
  const words = CODE_WORDS[e.code] ? tr(lang(), CODE_WORDS[e.code]) : e.code
  return e.field ? `${e.field}: ${words}` : words
}

/** Whether an error is the network's (fetch failed, timed out), not the server's answer nor a local failure. */
export function isNetworkError(e: unknown): boolean {
  if (!(e instanceof Error)) return false
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return true
  return (e instanceof TypeError && /fetch|network|load failed/i.test(e.message)) || e.message === 'network'
}

/**
 * What a failure says to the person: the server's message (each field's in ErrorBox); a check of
 * this browser that failed, named; the network; or any other local failure (its English detail
 * shown under the English UI only).
 */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message
  if (error instanceof ProtocolError) return t('error_check', { what: protocolText(error) })
  if (isNetworkError(error)) return t('error_network')
  return t('error_local', { detail: error instanceof Error ? error.message : String(error) })
}

/** An error as the user reads it, with a retry button when the failed thing can be tried again. */
export function ErrorBox({ error, retry }: { error: unknown; retry?: () => void }) {
  if (!error) return null
  const fields = error instanceof ApiError ? Object.entries(error.fields) : []
  return html`<div class="error" role="alert">
    <p>${errorMessage(error)}</p>
    ${fields.length > 0 && html`<ul>${fields.map(([f, m]) => html`<li><strong>${fieldLabel(f)}</strong>: ${m}</li>`)}</ul>`}
    ${retry && html`<button type="button" onClick=${retry}>${t('retry')}</button>`}
  </div>`
}

/** Renders the data once loaded; while loading says so; a failed load shows the error and a retry,
 * never an empty list. */
export function Loaded<T>({ state, children }: { state: Loader<T>; children: (d: T) => VNode | VNode[] | string | null }) {
  if (state.error && !state.data) return html`<${ErrorBox} error=${state.error} retry=${state.reload} />`
  if (state.data === null) return html`<p class="loading" role="status">${t('loading')}</p>`
  return html`${state.error && html`<${ErrorBox} error=${state.error} retry=${state.reload} />`}${children(state.data)}`
}

export function Notice({ text }: { text: string }) {
  return text ? html`<p class="notice" role="status">${text}</p>` : null
}
