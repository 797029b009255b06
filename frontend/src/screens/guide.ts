// The checklist of a vote's steps, from the vote's own `steps` (the server works them out): who
// does each, what is done, and what comes next.

import type { Vote } from '../api'
import { t } from '../i18n'
import { html, stepLabel, whoLabel } from '../ui'

/** Wide screens show every step beside the work; narrow ones fold the list under the next step. */
const wide = () => typeof matchMedia === 'function' && matchMedia('(min-width: 900px)').matches

export function Steps({ vote }: { vote: Vote }) {
  const next = vote.steps.find((s) => s.current)
  return html`<section class="card steps" aria-labelledby=${'steps-' + vote.id}>
    <h2 id=${'steps-' + vote.id}>${t('steps_title')}</h2>
    ${next ? html`<p class="next"><strong>${t('steps_next')}</strong> ${stepLabel(next.step)} — ${whoLabel(next.who)}</p>`
      : vote.status === 'cancelled' ? html`<p class="next">${t('steps_cancelled')}</p>` : html`<p class="next">${t('steps_all_done')}</p>`}
    <details open=${wide()}><summary>${t('steps_show_all')}</summary>
    <ol class="checklist">${vote.steps.map((s) => html`<li class=${s.done ? 'done' : s.current ? 'current' : ''} aria-current=${s.current ? 'step' : undefined}>
      <span class="mark" aria-hidden="true">${s.done ? '✓' : s.current ? '➜' : '○'}</span>
      <span class="what">${stepLabel(s.step)}${s.progress && s.progress.of > 0 ? html` <small>(${s.progress.done}/${s.progress.of})</small>` : ''}</span>
      <span class="who">${whoLabel(s.who)}</span>
      <span class="sr-only">${s.done ? t('steps_done') : s.current ? t('steps_current') : t('steps_todo')}</span>
    </li>`)}</ol></details>
  </section>`
}
