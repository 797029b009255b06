// Dates typed as people write them here: dd/mm/yyyy, in a text field, so no native date picker
// speaks the browser's language on a Vietnamese screen. The value in and out is the API's YYYY-MM-DD.

import { html } from 'htm/preact'
import { useEffect, useState } from 'preact/hooks'
import { dateShort } from '../format'
import { t } from '../i18n'

/** Puts the slashes in as digits are typed: "0512" → "05/12", "05122028" → "05/12/2028". */
export function maskDate(text: string): string {
  const d = text.replace(/\D/g, '').slice(0, 8)
  if (d.length <= 2) return d
  if (d.length <= 4) return d.slice(0, 2) + '/' + d.slice(2)
  return d.slice(0, 2) + '/' + d.slice(2, 4) + '/' + d.slice(4)
}

/** "05/12/2028" (or "5/12/2028") → "2028-12-05"; null when it is not a real day. */
export function parseDate(text: string): string | null {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(text)
  if (!m) return null
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (mo < 1 || mo > 12 || d < 1 || y < 1900) return null
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate()
  if (d > days) return null
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

export function DateInput({ id, value, onChange, required, describedBy }: {
  id: string; value: string | null | undefined; onChange: (iso: string) => void; required?: boolean; describedBy?: string
}) {
  const [text, setText] = useState(dateShort(value))
  // A value set from outside (a reset, an edit form) replaces the text unless it already says it.
  useEffect(() => {
    if ((parseDate(text) ?? '') !== (value ?? '')) setText(dateShort(value))
  }, [value])
  const bad = text !== '' && parseDate(text) === null
  const input = (e: Event) => {
    const el = e.currentTarget as HTMLInputElement
    const typed = el.value
    // Mask only while typing forward, so deleting a slash is not fought.
    const next = typed.length >= text.length ? maskDate(typed) : typed
    setText(next)
    const iso = parseDate(next)
    el.setCustomValidity(next !== '' && iso === null ? t('date_invalid') : '')
    onChange(iso ?? '')
  }
  return html`<input id=${id} type="text" inputmode="numeric" autocomplete="off" placeholder=${t('date_placeholder')}
    class="date" maxlength="10" required=${required} value=${text} onInput=${input}
    aria-invalid=${bad} aria-describedby=${[describedBy, id + '-fmt'].filter(Boolean).join(' ')} />
    <small id=${id + '-fmt'} class=${bad ? 'warn' : ''}>${bad ? t('date_invalid') : t('date_hint')}</small>`
}

/** Required fields and wrong values are explained in the app's language, not the browser's. */
export function installValidationMessages() {
  addEventListener('invalid', (e) => {
    const el = e.target as HTMLInputElement
    if (!el || !el.validity) return
    if (el.validity.valueMissing) el.setCustomValidity(el.type === 'checkbox' ? t('field_required_check') : t('field_required'))
    else if (el.validity.rangeUnderflow || el.validity.rangeOverflow) el.setCustomValidity(t('field_range', { min: el.min, max: el.max }))
    else if (el.validity.typeMismatch || el.validity.patternMismatch || el.validity.badInput || el.validity.stepMismatch) {
      if (!el.validity.customError) el.setCustomValidity(t('field_invalid'))
    }
  }, true)
  const clear = (e: Event) => {
    const el = e.target as HTMLInputElement
    if (el && el.setCustomValidity && !el.classList.contains('date')) el.setCustomValidity('')
  }
  addEventListener('input', clear, true)
  addEventListener('change', clear, true)
}
