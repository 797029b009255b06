// The paper part of an encrypted hybrid vote, sealed before the decryption (docs/PROTOCOL.md §13):
// a member opens their key file, reads the settled paper totals, checks them against the board's
// tally sheet, and their browser encrypts and signs them; the server checks them with the openings,
// adds them to the encrypted sums and forgets the plain totals. Only combined counts are ever
// decrypted.

import { useState } from 'preact/hooks'
import { api, type Schemas, unwrap } from '../../api'
import { t } from '../../i18n'
import { type Manifest, ProtocolError, encryptPaperTotals, equalBytes, manifestFromJSON, paperSubmissionToJSON, subjectsHash } from '../../protocol'
import { Feedback, html, levelLabel, Loaded, protocolText, useAction, useLoad } from '../../ui'
import type { Part } from './index'
import { forgetKey, message, OpenKeyFile, useShareKey, userError } from './sharefile'

/** The levels of a vote's rows, in ballot order (the order of the totals' columns). */
export const levelsOf = (kind: string): string[] => (kind === 'no_confidence' ? ['trust', 'no_trust'] : ['high', 'medium', 'low'])

/**
 * Refuses totals that would be sealed against the wrong people: the rows are encrypted in the order
 * of the totals' subjects, so that order must be the one the manifest's subjects hash binds, with
 * one count per level in every row.
 */
export function checkTotalsOrder(m: Manifest, tt: Schemas['PaperTotals']): void {
  if (tt.subjects.length !== m.rows || tt.counts.length !== m.rows || !equalBytes(subjectsHash(tt.subjects), m.subjectsHash)) throw userError(t('pt_err_order'))
  tt.counts.forEach((row, i) => {
    if (row.length !== m.levels) throw userError(t('pt_err_levels', { n: i + 1, got: row.length, want: m.levels }))
  })
}

export function PaperTotals({ vote, me, update }: Part) {
  const id = vote.ceremony_id ?? ''
  const key = useShareKey(id)
  const totals = useLoad(key ? () => unwrap(api.GET('/api/v1/votes/{id}/paper/totals', { params: { path: { id: vote.id } } })) : null, [!!key, vote.id])
  const [checked, setChecked] = useState(false)
  const a = useAction()
  const levels = levelsOf(vote.kind)
  const seal = () => a.run(async () => {
    const tt = totals.data
    if (!key || !tt) return
    const m = manifestFromJSON(vote.encryption?.manifest)
    // Rows in ballot order: the manifest's subject order, which the totals must follow.
    checkTotalsOrder(m, tt)
    let sealed
    try {
      sealed = encryptPaperTotals(m, key, tt.entered, tt.counts)
    } catch (e) {
      throw e instanceof ProtocolError ? userError(t('pt_err_check', { what: protocolText(e) })) : e
    }
    const { paperTotals, openings } = sealed
    update(await unwrap(api.POST('/api/v1/votes/{id}/paper/sealed-totals', { params: { path: { id: vote.id } }, body: message(paperSubmissionToJSON({ paperTotals, openings })) })))
    forgetKey(id) // sealed: the key goes (and the openings with this function)
  }, { confirm: { title: t('pt_confirm_title'), body: t('pt_confirm'), confirm: t('pt_seal') }, done: t('pt_sealed') })
  const nameOf = (oid: string) => vote.subjects.find((s) => s.official_id === oid)?.full_name ?? oid
  return html`<section class="card" aria-labelledby="pt-h"><h2 id="pt-h">${t('pt_title')}</h2>
    <p>${t('pt_intro')}</p>
    <${OpenKeyFile} ceremonyId=${id} me=${me} intro=${t('pt_open_key')} />
    ${key && html`<${Loaded} state=${totals}>${(tt: NonNullable<typeof totals.data>) => html`
      <div class="table-wrap"><table class="pt"><caption>${t('pt_caption', { n: tt.entered })}</caption>
        <thead><tr><th scope="col">${t('col_name')}</th>${levels.map((l) => html`<th scope="col">${levelLabel(l)}</th>`)}<th scope="col">${t('pt_blank')}</th></tr></thead>
        <tbody>${tt.subjects.map((s, i) => html`<tr><th scope="row">${nameOf(s)}</th>${tt.counts[i].map((c) => html`<td class="num">${c}</td>`)}
          <td class="num">${tt.entered - tt.counts[i].reduce((x, y) => x + y, 0)}</td></tr>`)}</tbody></table></div>
      <label class="check big-check"><input type="checkbox" checked=${checked} onChange=${(e: Event) => setChecked((e.currentTarget as HTMLInputElement).checked)} /> ${t('pt_tick')}</label>
      <button type="button" class="primary big" disabled=${a.busy || !checked} onClick=${seal}>${t('pt_seal')}</button>`}<//>`}
    <${Feedback} action=${a} /></section>`
}
