// The app's own confirmation dialog, in the app's language (the browser's confirm() speaks the
// browser's). A modal <dialog>: focus stays inside, Escape cancels, and the safe answer has focus.

import type { ComponentChildren } from 'preact'
import { html } from 'htm/preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import { t } from '../i18n'

export interface ConfirmOptions {
  title: string
  body?: ComponentChildren
  confirm: string
  danger?: boolean
  /** Warnings shown first, in a box (e.g. "no codes printed yet"). */
  warnings?: string[]
}

interface Pending { o: ConfirmOptions; resolve: (v: boolean) => void }

let show: ((o: ConfirmOptions) => Promise<boolean>) | null = null

/** Clicks this soon after the dialog opened are ignored (the tail of a double click). */
const GUARD_MS = 400

/** Asks the person; true when they confirm. */
export function confirmDialog(o: ConfirmOptions): Promise<boolean> {
  return show ? show(o) : Promise.resolve(false)
}

export function DialogHost() {
  const [req, setReq] = useState<Pending | null>(null)
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    show = (o) => new Promise<boolean>((resolve) => setReq({ o, resolve }))
    return () => { show = null }
  }, [])
  useEffect(() => {
    const d = ref.current
    if (req && d && !d.open) d.showModal()
  }, [req])
  // The second click of a double click must not answer the question it just opened.
  const openedAt = useRef(0)
  useEffect(() => { if (req) openedAt.current = Date.now() }, [req])
  const answer = (v: boolean) => {
    if (Date.now() - openedAt.current < GUARD_MS) return
    ref.current?.close()
    req?.resolve(v)
    setReq(null)
  }
  return html`<dialog ref=${ref} class="app-dialog" aria-labelledby="dlg-title" aria-describedby="dlg-body"
      onCancel=${(e: Event) => { e.preventDefault(); answer(false) }}>
    ${req && html`<h2 id="dlg-title">${req.o.title}</h2>
      <div id="dlg-body">
        ${req.o.warnings && req.o.warnings.length > 0 && html`<div class="warn-box card"><ul>${req.o.warnings.map((w) => html`<li>${w}</li>`)}</ul></div>`}
        ${typeof req.o.body === 'string' ? html`<p>${req.o.body}</p>` : req.o.body}
      </div>
      <div class="actions">
        <button type="button" class="big" autofocus onClick=${() => answer(false)}>${t('cancel')}</button>
        <button type="button" class=${req.o.danger ? 'danger big' : 'primary big'} onClick=${() => answer(true)}>${req.o.confirm}</button>
      </div>`}
  </dialog>`
}
