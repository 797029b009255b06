// The counting board's console: the vote's steps, its live figures, and each duty of the board as
// the role table gives it — the head opens, closes, announces and approves account changes; every
// member may print codes, void a slip, register kiosks, issue ballots (and correct a mistaken
// issuance), record an absent member, certify and, after the close, confirm a cancellation.

import { useEffect } from 'preact/hooks'
import { api, unwrap, User, Vote } from '../../api'
import { t } from '../../i18n'
import { may, useRoleTable } from '../../rules'
import { ErrorBox, html, RuleSetName, statusLabel, useLoad } from '../../ui'
import { Steps } from '../guide'
import { DisplayLinks } from '../displays'
import { useTurnout, VotePicker } from '../shared'
import { Approvals } from './approvals'
import { Codes } from './codes'
import { Controls } from './controls'
import { Count } from './count'
import { Issuance } from './issuance'
import { Kiosks, SecurityPanel } from './kiosks'
import { Live } from './live'
import { Encrypted } from './encrypted'
import { PaperPart, paperKey } from './paper'
import { PaperRoute } from './paper-entry'
import { IssuanceTotals } from './paper-issuance'
import { ModeLine } from '../secretariat/modes'

export function Board({ me, voteId }: { me: User; voteId: string }) {
  const [id, sub, arg] = voteId.split('/') // #/board/<vote>/paper/<k>: a batch's entry; /batch/<k>: a batch
  if (sub === 'paper' || sub === 'batch') return html`<${PaperRoute} key=${voteId} me=${me} voteId=${id} view=${sub} batch=${arg ?? ''} />`
  return voteId ? html`<${BoardVote} key=${voteId} me=${me} voteId=${voteId} />` : html`<${VotePicker} me=${me} base="#/board/" />`
}

/** The props every part of the console gets: the vote, me, the role table's verdict, and a way to
 * put the server's fresh answer on screen at once. */
export interface Part {
  vote: Vote
  me: User
  can: (action: string) => boolean
  update: (v: Vote) => void
  reload: () => void
}

function BoardVote({ me, voteId }: { me: User; voteId: string }) {
  const vote = useLoad(() => unwrap(api.GET('/api/v1/votes/{id}', { params: { path: { id: voteId } } })), [voteId])
  const rt = useRoleTable()
  const v = vote.data
  const turnout = useTurnout(voteId, v?.turnout ?? null)
  useEffect(() => {
    if (turnout && v && turnout.status !== v.status) vote.reload()
  }, [turnout?.status])
  if (!v) return html`<${ErrorBox} error=${vote.error ?? rt.error} retry=${vote.reload} />${!vote.error && html`<p role="status">${t('loading')}</p>`}`
  const live = turnout && turnout.status === v.status ? { ...v, turnout } : v
  const p: Part = { vote: live, me, can: (a) => may(rt.data, a, live, me), update: vote.setData, reload: vote.reload }
  const mine = v.board.find((m) => m.user_id === me.id)
  const closedOrLater = ['closed', 'certified', 'published'].includes(v.status)
  return html`<section class="board">
    <h1>${v.title}</h1>
    <p class="status"><span class="badge">${statusLabel(v.status)}</span> ${v.session_name} · <${RuleSetName} id=${v.rule_set} /></p>
    <${ModeLine} vote=${v} />
    ${!mine && html`<p class="notice">${t('board_not_member')}</p>`}
    ${v.wipe_pending && html`<p class="warn-box card" role="status">${t('board_wipe_pending')}</p>`}
    ${v.status === 'cancelled' && html`<p class="warn-box card">${t('board_cancelled', { reason: v.cancel_reason ?? '' })}</p>`}
    <div class="console">
      <div class="col-main">
        <${Controls} ...${p} />
        <${Live} vote=${live} />
        ${mine && (v.status === 'draft' || v.status === 'open') && html`<${SecurityPanel} voteId=${v.id} />`}
        ${v.status === 'open' && p.can('issue') && html`<${Issuance} ...${p} />`}
        ${v.casting_mode === 'hybrid' && (v.status === 'open' || v.status === 'closed') && html`<${IssuanceTotals} ...${p} />`}
        ${closedOrLater && v.paper && html`<${PaperPart} ...${p} />`}
        ${v.ballot_mode === 'encrypted' && html`<${Encrypted} ...${p} />`}
        ${closedOrLater && html`<${Count} key=${paperKey(v)} ...${p} />`}
        ${v.casting_mode !== 'paper' && v.ballot_mode !== 'encrypted' && (v.status === 'draft' || v.status === 'open') && p.can('generate_codes') && html`<${Codes} ...${p} />`}
        ${v.casting_mode !== 'paper' && (v.status === 'draft' || v.status === 'open') && p.can('register_device') && html`<${Kiosks} ...${p} />`}
        ${(p.can('approve_account') || v.account_changes.length > 0) && html`<${Approvals} ...${p} />`}
        ${mine && html`<${DisplayLinks} councilId=${v.council_id} open=${false} />`}
      </div>
      <aside class="col-side"><${Steps} vote=${v} /></aside>
    </div>
  </section>`
}
