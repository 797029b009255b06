// The hall display for the projector: large turnout figures and the status; never a result before
// publication; after publication, the results table.

import { PublicResult, User, Vote } from '../api'
import { t } from '../i18n'
import { ErrorBox, ResultsTable, TurnoutPanel, html, statusLabel, useApi } from '../ui'
import { VotePicker, useTurnout } from './board'

export function Hall({ me, voteId }: { me: User; voteId: string }) {
  return voteId ? html`<${HallVote} key=${voteId} voteId=${voteId} />` : html`<${VotePicker} me=${me} base="#/hall/" />`
}

function HallVote({ voteId }: { voteId: string }) {
  const vote = useApi<Vote>(`/api/v1/votes/${voteId}`)
  const turnout = useTurnout(voteId, vote.data?.turnout ?? null)
  const status = turnout?.status ?? vote.data?.status ?? ''
  const published = useApi<PublicResult>(status === 'published' ? `/api/v1/public/votes/${voteId}/results` : null, [status])
  if (!vote.data) return html`<${ErrorBox} error=${vote.error} />`
  return html`<section class="hall">
    <h1>${vote.data.title}</h1>
    <p class="status big-status"><span class="badge">${statusLabel(status)}</span></p>
    ${turnout && html`<${TurnoutPanel} turnout=${turnout} big=${true} />`}
    ${status === 'published' && published.data
      ? html`<h2>${t('hall_results')}</h2><${ResultsTable} tally=${published.data} />`
      : html`<p class="hall-note">${t('hall_no_result')}</p>`}
  </section>`
}
