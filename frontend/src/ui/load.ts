import type { VNode } from 'preact'
import { html } from 'htm/preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import { ApiError } from '../api'
import { fieldLabel, t } from '../i18n'

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

/** What a failed request says to the person: the server's message and each field's. */
export function errorMessage(error: unknown): string {
  return error instanceof ApiError ? error.message : t('error_network')
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
