// After the close of an encrypted vote: each member opens their key file and decrypts their part
// of the encrypted sums (docs/PROTOCOL.md §11.2) in the worker, with progress; the server checks each
// proof and combines the parts once the threshold is reached. Only the sums are ever decrypted.

import { useState } from 'preact/hooks'
import { api, unwrap } from '../../api'
import { t } from '../../i18n'
import { Feedback, html, useAction } from '../../ui'
import { keyToWire, run } from '../../workers'
import { ProgressBar } from '../kiosk/progress'
import type { Part } from './index'
import { message, OpenKeyFile, useShareKey } from './sharefile'

export function Decrypt({ vote, me, update }: Part) {
  const e = vote.encryption
  const id = vote.ceremony_id ?? ''
  const key = useShareKey(id)
  const a = useAction()
  const [progress, setProgress] = useState<number | null>(null)
  if (!e) return null
  const names = (ids: string[]) => ids.map((u) => vote.board.find((m) => m.user_id === u)?.full_name ?? u)
  const mineDone = e.partials.includes(me.id)
  const member = vote.board.some((m) => m.user_id === me.id)
  const paperFirst = !!vote.paper && !vote.paper.sealed
  const decrypt = () => a.run(async () => {
    if (!key) return
    setProgress(0)
    try {
      const sub = await run({ kind: 'partial', key: keyToWire(key), voteId: vote.id, sums: e.sums }, setProgress)
      update(await unwrap(api.POST('/api/v1/votes/{id}/partial-decryptions', { params: { path: { id: vote.id } }, body: message(sub) })))
    } finally {
      setProgress(null)
    }
  }, { done: t('dec_done_mine') })
  return html`<section class="card" aria-labelledby="dec-h"><h2 id="dec-h">${t('dec_title')}</h2>
    <p>${t('dec_intro')}</p>
    <p class=${e.decrypted ? 'notice' : ''} role="status">${e.decrypted ? t('dec_decrypted', { n: e.partials.length }) : t('dec_progress', { n: e.partials.length, t: e.threshold })}</p>
    ${e.partials.length > 0 && html`<p>${t('dec_by', { names: names(e.partials).join(', ') })}</p>`}
    ${!e.decrypted && e.shares_available < e.threshold && html`<p class="warn-box card" role="alert">${t('dec_impossible', { left: e.shares_available, t: e.threshold })}</p>`}
    ${!e.decrypted && member && (paperFirst ? html`<p class="notice">${t('dec_paper_first')}</p>`
      : mineDone ? html`<p class="notice">${t('dec_mine_in')}</p>`
      : html`<${OpenKeyFile} ceremonyId=${id} me=${me} intro=${t('dec_open_key')} />
        ${key && html`<button type="button" class="primary big" disabled=${a.busy} onClick=${decrypt}>${t('dec_run')}</button>`}
        ${progress !== null && html`<${ProgressBar} id="dec-progress" label=${t('dec_running')} value=${progress} />`}`)}
    <${Feedback} action=${a} /></section>`
}
