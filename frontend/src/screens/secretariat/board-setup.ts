// The counting board, named by the secretariat: a role for each board account of the council. The
// server checks its size and its head; its warnings show on the vote.

import { useState } from 'preact/hooks'
import { api, Member, unwrap, User, Vote } from '../../api'
import { t } from '../../i18n'
import { Feedback, html, Loaded, useAction, useLoad, valueOf } from '../../ui'

export function BoardSetup({ vote, update }: { vote: Vote; update: (v: Vote) => void }) {
  const staff = useLoad(() => unwrap(api.GET('/api/v1/councils/{id}/staff', { params: { path: { id: vote.council_id } } })), [vote.council_id])
  const [roles, setRoles] = useState<Record<string, Member['board_role'] | ''>>(Object.fromEntries(vote.board.map((m) => [m.user_id, m.board_role])))
  const a = useAction()
  const save = () => a.run(async () => update(await unwrap(api.PUT('/api/v1/votes/{id}/board', { params: { path: { id: vote.id } },
    body: { members: Object.entries(roles).filter((e): e is [string, Member['board_role']] => !!e[1]).map(([user_id, board_role]) => ({ user_id, board_role })) } }))),
  { done: t('sec_saved') })
  return html`<section class="card" aria-labelledby="bs-h"><h3 id="bs-h">${t('sec_board')}</h3>
    <p class="sub">${t('sec_board_intro')}</p>
    <${Loaded} state=${staff}>${(us: User[]) => html`<table><tbody>${us.filter((u) => u.role === 'board').map((u) => html`<tr><th scope="row"><label for=${'role-' + u.id}>${u.full_name}</label></th><td>
      <select id=${'role-' + u.id} value=${roles[u.id] ?? ''} onChange=${(e: Event) => setRoles({ ...roles, [u.id]: valueOf(e) as Member['board_role'] | '' })}>
        <option value="">${t('sec_board_none')}</option><option value="head">${t('board_role_head')}</option>
        <option value="secretary">${t('board_role_secretary')}</option><option value="member">${t('board_role_member')}</option></select></td></tr>`)}</tbody></table>`}<//>
    <button type="button" class="primary" disabled=${a.busy} onClick=${save}>${t('sec_board_save')}</button>
    <${Feedback} action=${a} /></section>`
}
