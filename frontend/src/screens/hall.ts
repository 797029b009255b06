// The hall screen for a staff login (the observer): the projector's view of a vote, fed from the
// vote and its turnout stream. For the real hall, make a projector link (no login in the tab).

import { useEffect } from 'preact/hooks'
import { api, DisplayVote, unwrap, User } from '../api'
import { ErrorBox, html, useLoad } from '../ui'
import { ProjectorView } from './projector'
import { useTurnout, VotePicker } from './shared'

export function Hall({ me, voteId }: { me: User; voteId: string }) {
  return voteId ? html`<${HallVote} key=${voteId} voteId=${voteId} />` : html`<${VotePicker} me=${me} base="#/hall/" />`
}

function HallVote({ voteId }: { voteId: string }) {
  const vote = useLoad(() => unwrap(api.GET('/api/v1/votes/{id}', { params: { path: { id: voteId } } })), [voteId])
  const v = vote.data
  const turnout = useTurnout(voteId, v?.turnout ?? null)
  const status = turnout?.status ?? v?.status ?? 'draft'
  useEffect(() => {
    if (v && turnout && turnout.status !== v.status) vote.reload()
  }, [turnout?.status])
  const announced = !!v?.announced_at || status === 'published'
  const tally = useLoad(announced ? () => unwrap(api.GET('/api/v1/votes/{id}/tally', { params: { path: { id: voteId } } })) : null, [announced])
  const council = useLoad(v ? () => unwrap(api.GET('/api/v1/councils/{id}', { params: { path: { id: v.council_id } } })) : null, [v?.council_id])
  if (!v) return html`<${ErrorBox} error=${vote.error} retry=${vote.reload} />`
  const dv: DisplayVote = { id: v.id, title: v.title, session_name: v.session_name, kind: v.kind, status, turnout: turnout ?? v.turnout,
    announced, result: announced ? tally.data : null }
  return html`<section class="hall"><${ProjectorView} council=${council.data?.name ?? ''} vote=${dv} loaded=${true} /></section>`
}
