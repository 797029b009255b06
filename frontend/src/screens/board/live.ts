import { api, unwrap, Vote } from '../../api'
import { t } from '../../i18n'
import { html, useLoad } from '../../ui'

/** The live figures. Before the vote opens, T is the roster on the vote date (the server fixes it at
 * the opening). */
export function Live({ vote }: { vote: Vote }) {
  const draft = vote.status === 'draft'
  const roster = useLoad(draft ? () => unwrap(api.GET('/api/v1/councils/{id}/delegates', {
    params: { path: { id: vote.council_id }, query: { in_office_on: vote.vote_date } } })) : null, [draft, vote.vote_date])
  const tu = vote.turnout
  const total = draft ? roster.data?.length : tu.total_delegates
  const items: [string, number | string][] = [
    [draft ? t('turnout_total_roster') : t('turnout_total'), total ?? '…'],
    [t('turnout_issued'), tu.ballots_issued],
    [t('turnout_cast'), tu.ballots_cast],
    [t('turnout_codes'), vote.codes.printed],
    [t('turnout_voided'), vote.codes.voided],
  ]
  return html`<section class="card"><h2>${t('board_live')}</h2>
    <dl class="turnout" aria-live="polite">${items.map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>
    ${roster.error && html`<p class="warn">${t('turnout_roster_failed')} <button type="button" onClick=${roster.reload}>${t('retry')}</button></p>`}
  </section>`
}
