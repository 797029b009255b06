// What the board console and the hall screen share: choosing a vote, and following its turnout.

import { useEffect, useState } from 'preact/hooks'
import { api, getToken, Turnout, unwrap, User } from '../api'
import { t } from '../i18n'
import { dateShort } from '../format'
import { Field, html, Loaded, statusLabel, useLoad, valueOf } from '../ui'

export function VotePicker({ me, base }: { me: User; base: string }) {
  const councils = useLoad(() => unwrap(api.GET('/api/v1/councils')), [])
  const [cid, setCid] = useState('')
  const council = cid || me.council_id || councils.data?.[0]?.id || ''
  const votes = useLoad(council ? () => unwrap(api.GET('/api/v1/councils/{id}/votes', { params: { path: { id: council } } })) : null, [council])
  return html`<section><h1>${t('board_choose_vote')}</h1>
    ${me.role === 'admin' && councils.data && html`<${Field} id="council" label=${t('sec_council')}>
      <select id="council" value=${council} onChange=${(e: Event) => setCid(valueOf(e))}>${councils.data.map((c) => html`<option value=${c.id}>${c.name}</option>`)}</select><//>`}
    <${Loaded} state=${votes}>${(list: NonNullable<typeof votes.data>) => list.length === 0 ? html`<p class="empty">${t('votes_none')}</p>`
      : html`<ul class="votes">${list.map((v) => html`<li><a class="button" href=${base + v.id}>${v.title}</a>
        <span><span class="badge">${statusLabel(v.status)}</span> <small>${dateShort(v.vote_date)}</small></span></li>`)}</ul>`}<//>
  </section>`
}

/** Follows the vote's turnout through the server-sent events (at most one every 2 seconds). */
export function useTurnout(voteId: string, initial: Turnout | null): Turnout | null {
  const [turnout, setTurnout] = useState<Turnout | null>(initial)
  useEffect(() => setTurnout(initial), [initial])
  useEffect(() => {
    if (!voteId || !getToken()) return
    const es = new EventSource(`/api/v1/votes/${encodeURIComponent(voteId)}/turnout/stream?access_token=${encodeURIComponent(getToken())}`)
    es.addEventListener('turnout', (e: MessageEvent<string>) => setTurnout(JSON.parse(e.data) as Turnout))
    return () => es.close()
  }, [voteId])
  return turnout
}
