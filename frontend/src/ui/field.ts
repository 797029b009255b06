import type { ComponentChildren } from 'preact'
import { html } from 'htm/preact'

/** A labelled form field; the hint is tied to the control by its id (`<id>-hint`). */
export function Field({ id, label, children, hint, wide, span }: { id: string; label: string; children: ComponentChildren; hint?: string; wide?: boolean; span?: number }) {
  return html`<div class=${'field' + (wide ? ' wide' : '') + (span ? ' span' + span : '')}><label for=${id}>${label}</label>${children}${hint && html`<small id=${id + '-hint'}>${hint}</small>`}</div>`
}

/** The value of the control an input or change event came from. */
export function valueOf(e: Event): string {
  return (e.currentTarget as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement).value
}

/** Whether the checkbox an event came from is checked. */
export function checkedOf(e: Event): boolean {
  return (e.currentTarget as HTMLInputElement).checked
}

/** A card that folds away: its title always shown, its content on demand (open at first if asked). */
export function Section({ id, title, open, children }: { id: string; title: string; open?: boolean; children: ComponentChildren }) {
  return html`<details class="card section" open=${open}><summary><h2 id=${id}>${title}</h2></summary>${children}</details>`
}

/** A file chooser that speaks the app's language (the native one says "Choose File" in the
 * browser's): the input is hidden, its label is the button, and the chosen file's name is shown. */
export function FilePicker({ id, label, accept, capture, onPick, chosen, none }: {
  id: string; label: string; accept: string; capture?: string; onPick: (f: File | undefined) => void; chosen: string; none: string
}) {
  return html`<div class="field file-picker">
    <input id=${id} class="visually-hidden" type="file" accept=${accept} capture=${capture}
      onChange=${(e: Event) => onPick((e.currentTarget as HTMLInputElement).files?.[0])} />
    <label for=${id} class="button">${label}</label>
    <small aria-live="polite">${chosen || none}</small></div>`
}
