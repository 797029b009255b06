// A progress bar for the work the cryptography worker does (a ballot being encrypted, a key file
// being opened): a real <progress> with its label and the percentage spoken politely.

import { html } from 'htm/preact'

export function ProgressBar({ id, label, value }: { id: string; label: string; value: number }) {
  const pct = Math.round(Math.max(0, Math.min(1, value)) * 100)
  return html`<div class="progress-box" role="status" aria-live="polite">
    <label for=${id}>${label}</label>
    <progress id=${id} max="100" value=${pct}>${pct} %</progress>
    <span class="pct-text">${pct} %</span></div>`
}
