// The code slips of an encrypted vote, made in this member's browser (docs/PROTOCOL.md §7): N fresh
// codes, their public credentials, the list signed with the member's key from their key file and
// sent to the server — which never sees a code — then a print page of slips (council, vote, the code
// in groups and its QR, "dùng một lần") and window.print(). The codes exist only in that page's
// memory: never in any browser storage, and gone when the print page closes. The list's fingerprint
// is read aloud so the server cannot add a credential unseen.

import QRCode from 'qrcode'
import { useEffect, useState } from 'preact/hooks'
import { api, unwrap } from '../../api'
import { t } from '../../i18n'
import { codeQR, credential, credentialListHash, credentialListToJSON, fingerprint80, formatCode, newCode, newCredentialList, type ShareKey } from '../../protocol'
import { Feedback, Field, html, Section, useAction, useLoad, valueOf } from '../../ui'
import type { Part } from './index'
import { PrintSheet } from './print'
import { forgetKey, message, OpenKeyFile, useShareKey } from './sharefile'

/** What a batch of slips needs, made from fresh codes: the codes, and the signed list of their credentials. */
export function makeSlips(voteId: string, n: number, key: ShareKey, code: () => string = newCode) {
  const codes = Array.from({ length: n }, () => code())
  const creds = codes.map((c) => credential(c).publicKey)
  const list = newCredentialList(voteId, creds, key.identifier, key.signingSeed)
  return { codes, list, fingerprint: fingerprint80(credentialListHash(voteId, list.credentials)) }
}

interface Printed { codes: string[]; fingerprint: string }

export function Slips({ vote, me, reload }: Part) {
  const id = vote.ceremony_id ?? ''
  const key = useShareKey(id)
  const a = useAction()
  const roster = useLoad(vote.status === 'draft' ? () => unwrap(api.GET('/api/v1/councils/{id}/delegates', {
    params: { path: { id: vote.council_id }, query: { in_office_on: vote.vote_date } } })) : null, [vote.status])
  const total = vote.status === 'draft' ? roster.data?.length ?? 0 : vote.turnout.total_delegates
  const registered = vote.encryption?.credentials ?? 0
  const [count, setCount] = useState<number | null>(null)
  const wanted = count ?? Math.max(1, total - registered)
  const [printed, setPrinted] = useState<Printed | null>(null)
  const [lastFp, setLastFp] = useState('')
  const ready = !!vote.encryption?.ceremony_ready // every member has reopened their key file
  const make = () => a.run(async () => {
    if (!key) return
    const s = makeSlips(vote.id, wanted, key)
    await unwrap(api.POST('/api/v1/votes/{id}/credentials', { params: { path: { id: vote.id } }, body: message(credentialListToJSON(s.list)) }))
    forgetKey(id) // the list is signed and registered: the key goes (another batch opens the file again)
    setPrinted({ codes: s.codes, fingerprint: s.fingerprint })
    setLastFp(s.fingerprint)
    reload()
  })
  return html`<${Section} id="slips-h" title=${t('slips_title')} open=${vote.status === 'draft'}>
    <p>${t('slips_intro', { registered, total })}</p>
    ${!ready ? html`<p class="notice">${t('slips_wait_ceremony')}</p>` : html`
      <${OpenKeyFile} ceremonyId=${id} me=${me} intro=${t('slips_open_key')} />
      ${key && html`<div class="row">
        <${Field} id="slip-count" label=${t('slips_count')} hint=${t('slips_count_hint')}><input id="slip-count" type="number" min="1" max="5000" required value=${wanted}
          aria-describedby="slip-count-hint" onInput=${(e: Event) => setCount(Number(valueOf(e)) || null)} /><//>
        <button type="button" class="primary" disabled=${a.busy} onClick=${make}>${t('slips_make')}</button></div>`}`}
    <${Feedback} action=${a} />
    ${lastFp && html`<p class="fingerprint">${t('slips_list_fp')} <strong class="fp">${lastFp}</strong><br /><small>${t('slips_list_fp_explain')}</small></p>`}
    ${(vote.encryption?.credential_lists.length ?? 0) > 0 && html`<h3>${t('slips_lists')}</h3>
      <ul class="fp-list">${vote.encryption!.credential_lists.map((fp) => html`<li><span class="fp">${fp}</span></li>`)}</ul>`}
    ${printed && html`<${SlipSheet} vote=${vote} printed=${printed} close=${() => setPrinted(null)} />`}
  <//>`
}

/** The print page of the slips: shown once, printed, then closed — the codes go with it. */
function SlipSheet({ vote, printed, close }: { vote: Part['vote']; printed: Printed; close: () => void }) {
  const council = useLoad(() => unwrap(api.GET('/api/v1/councils/{id}', { params: { path: { id: vote.council_id } } })), [vote.council_id])
  const [qrs, setQrs] = useState<string[] | null>(null)
  useEffect(() => {
    let live = true
    void Promise.all(printed.codes.map((c) => QRCode.toDataURL(codeQR(c), { errorCorrectionLevel: 'M', margin: 1, width: 200 }))).then((q) => { if (live) setQrs(q) })
    return () => { live = false }
  }, [printed])
  const ready = !!qrs && !!council.data
  useEffect(() => {
    if (ready) window.print() // once, when the slips are drawn
  }, [ready])
  return html`<${PrintSheet} label=${t('slips_sheet')} tools=${html`
      <p><strong>${t('slips_sheet_made', { n: printed.codes.length })}</strong> ${t('slips_sheet_once')}</p>
      <p class="fingerprint">${t('slips_list_fp')} <strong class="fp">${printed.fingerprint}</strong></p>
      <div class="actions"><button type="button" class="primary" disabled=${!ready} onClick=${() => window.print()}>${t('enc_print')}</button>
        <button type="button" onClick=${close}>${t('slips_sheet_done')}</button></div>`}>
    ${!ready ? html`<p role="status">${t('loading')}</p>` : html`<div class="slips">${printed.codes.map((c, i) => html`<article class="slip" aria-label=${t('slips_slip_n', { n: i + 1 })}>
      <p class="slip-council">${council.data!.name}</p>
      <p class="slip-vote"><strong>${vote.title}</strong><br />${vote.session_name}</p>
      <img class="slip-qr" src=${qrs![i]} width="140" height="140" alt=${t('slips_qr_alt')} />
      <p class="slip-code">${formatCode(c)}</p>
      <p class="slip-once">${t('slips_once')}</p></article>`)}</div>`}
  <//>`
}
