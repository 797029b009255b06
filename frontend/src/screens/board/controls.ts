import { api, unwrap } from '../../api'
import { t } from '../../i18n'
import { Feedback, html, useAction } from '../../ui'
import type { Part } from './index'

/** The head's buttons: open (warning first when no codes are printed or the board is small), close,
 * announce the certified result. */
export function Controls({ vote, can, update }: Part) {
  const a = useAction()
  const id = { params: { path: { id: vote.id } } }
  const buttons = []
  if (vote.status === 'draft' && can('open')) {
    const warnings: string[] = []
    if (vote.codes.printed === 0) warnings.push(t('board_open_no_codes'))
    for (const w of vote.warnings) if (w.code === 'board_small') warnings.push(w.message)
    buttons.push(html`<button type="button" class="primary big" disabled=${a.busy} onClick=${() => a.run(async () => update(await unwrap(api.POST('/api/v1/votes/{id}/open', id))),
      { confirm: { title: t('board_open_confirm_title'), body: t('board_open_confirm'), confirm: t('board_open'), warnings }, done: t('board_opened') })}>${t('board_open')}</button>`)
  }
  if (vote.status === 'open' && can('close'))
    buttons.push(html`<button type="button" class="danger big" disabled=${a.busy} onClick=${() => a.run(async () => update(await unwrap(api.POST('/api/v1/votes/{id}/close', id))),
      { confirm: { title: t('board_close_confirm_title'), body: t('board_close_confirm', { cast: vote.turnout.ballots_cast, issued: vote.turnout.ballots_issued }), confirm: t('board_close'), danger: true }, done: t('board_closed') })}>${t('board_close')}</button>`)
  if (vote.status === 'certified' && !vote.announced_at && can('announce'))
    buttons.push(html`<button type="button" class="primary big" disabled=${a.busy} onClick=${() => a.run(async () => update(await unwrap(api.POST('/api/v1/votes/{id}/announce', id))),
      { confirm: { title: t('board_announce_confirm_title'), body: t('board_announce_confirm'), confirm: t('board_announce') }, done: t('board_announced') })}>${t('board_announce')}</button>`)
  if (vote.announced_at && vote.status === 'certified') buttons.push(html`<p class="notice">${t('board_announced_wait_publish')}</p>`)
  if (buttons.length === 0 && !a.error && !a.notice) return null
  return html`<section class="controls" aria-label=${t('board_controls')}><div class="actions">${buttons}</div><${Feedback} action=${a} /></section>`
}
