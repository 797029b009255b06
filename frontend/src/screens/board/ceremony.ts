// The board's key ceremony (docs/PROTOCOL.md §10), each member in their own browser and session:
// the head starts it (threshold: a majority by default, 2…n), every member's browser makes its
// round 1, checks everyone's, and shows the transcript fingerprint that the members read aloud and
// tick; round 2 (shares encrypted to each member) and round 3 (the confirmation, or a complaint that
// aborts the ceremony naming both members) follow; then each member saves their key file and reopens
// it. The others' progress is polled. The secret part of a running ceremony lives in this page's
// memory only: a reload loses it, and the ceremony must start again.

import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { api, type Schemas, unwrap, type User, type Vote } from '../../api'
import { t } from '../../i18n'
import {
  type Ceremony as Params, type Round1, type ShareKey, Member, ProtocolError, complaintToJSON, confirmationToJSON, defaultThreshold,
  fingerprint80, manifestFromJSON, round1FromJSON, round1ToJSON, round2FromJSON, round2ToJSON, transcript,
  verifyRound1, voteFingerprint,
} from '../../protocol'
import { ErrorBox, Feedback, Field, html, Section, useAction, useLoad, valueOf } from '../../ui'
import type { Part } from './index'
import { Reopen, SaveShareFile, message } from './sharefile'

export type CeremonyView = Schemas['Ceremony']
type CMember = CeremonyView['members'][number]

/** This page's part of a running ceremony: the member's secrets and what it has done. */
interface Session {
  member: Member
  key?: ShareKey // after round 3, until the file is saved and reopened
  saved?: boolean
  sentRound3?: boolean
  complaint?: string // the accused's user id, when this browser complained
}
const sessions = new Map<string, Session>()

/** The protocol's view of a ceremony. */
export const paramsOf = (c: CeremonyView): Params => ({ id: c.id, councilId: c.council_id, voteId: c.vote_id, threshold: c.threshold, members: c.members.map((m) => m.user_id) })

/** The fingerprint as it is read aloud: four groups of four, spaced. */
export function FingerprintBig({ fp, label }: { fp: string; label: string }) {
  return html`<p class="fp-big"><span>${label}</span><strong class="fp" aria-label=${fp.split('').join(' ')}>${fp.split('-').map((g) => html`<span>${g}</span>`)}</strong></p>`
}

/** The served build's hash (GET /api/v1/build), for comparison with a published release. */
export function BuildHash({ small }: { small?: boolean }) {
  const b = useLoad(() => unwrap(api.GET('/api/v1/build')), [])
  const h = b.data?.frontend_hash ?? ''
  if (!h) return null
  const short = h.slice(0, 16).toUpperCase().match(/.{4}/g)!.join('-')
  return small ? html`<p class="build-hash"><small>${t('enc_build_short', { h: short })}</small></p>`
    : html`<p class="build-hash">${t('enc_build')} <strong class="fp">${short}</strong><br /><small class="hash-full">${h}</small><br /><small>${t('enc_build_explain')}</small></p>`
}

/** Follows a ceremony: loaded, then polled every 2 seconds while `live`. */
function useCeremony(id: string, live: boolean) {
  const c = useLoad(() => unwrap(api.GET('/api/v1/ceremonies/{id}', { params: { path: { id } } })), [id])
  useEffect(() => {
    if (!live) return
    const timer = setInterval(() => {
      unwrap(api.GET('/api/v1/ceremonies/{id}', { params: { path: { id } } })).then(c.setData, () => {})
    }, 2000)
    return () => clearInterval(timer)
  }, [id, live])
  return c
}

const has = (m: CMember, k: 'round1' | 'round2' | 'round3' | 'reopen' | 'destruction') => m[k] !== undefined && m[k] !== null

/** The board console's ceremony card of an encrypted vote. */
export function CeremonyCard({ vote, me, update, reload }: Part) {
  const id = vote.ceremony_id ?? ''
  const status = vote.encryption?.ceremony_status ?? ''
  const draft = vote.status === 'draft'
  if (!id || status === 'aborted' || status === '') {
    return draft ? html`<section class="card ceremony" aria-labelledby="cer-h"><h2 id="cer-h">${t('cer_title')}</h2>
      <p>${t('cer_intro')}</p><${BuildHash} />
      ${id && status === 'aborted' && html`<${Aborted} id=${id} />`}
      <${Start} vote=${vote} me=${me} update=${update} reload=${reload} /></section>` : null
  }
  return html`<${Running} key=${id} id=${id} vote=${vote} me=${me} reload=${reload} />`
}

/** The head starts the ceremony (or reuses a complete one of the same board); others wait. */
function Start({ vote, me, reload }: Pick<Part, 'vote' | 'me' | 'update' | 'reload'>) {
  const n = vote.board.length
  const [threshold, setThreshold] = useState(defaultThreshold(n))
  const a = useAction()
  const head = vote.board.find((m) => m.user_id === me.id)?.board_role === 'head'
  const others = useLoad(head ? () => unwrap(api.GET('/api/v1/councils/{id}/votes', { params: { path: { id: vote.council_id } } })) : null, [vote.id])
  const board = [...vote.board.map((m) => m.user_id)].sort().join(',')
  const reusable = (others.data ?? []).filter((v: Vote) => v.id !== vote.id && v.ceremony_id && v.encryption?.ceremony_ready && v.status !== 'cancelled'
    && [...v.board.map((m) => m.user_id)].sort().join(',') === board)
  // The others wait for the head: the vote is read again every 3 seconds until the ceremony starts.
  useEffect(() => {
    if (head) return
    const timer = setInterval(reload, 3000)
    return () => clearInterval(timer)
  }, [head])
  if (!head) return html`<p class="notice" role="status">${t('cer_wait_head')}</p>`
  const start = (reuse?: Vote) => a.run(async () => {
    await unwrap(api.POST('/api/v1/votes/{id}/ceremony', { params: { path: { id: vote.id } }, body: reuse ? { reuse: reuse.ceremony_id } : { threshold } }))
    reload()
  }, reuse ? { confirm: { title: t('cer_reuse_title'), body: t('cer_reuse_confirm', { title: reuse.title }), confirm: t('cer_reuse') } } : {})
  const opts = Array.from({ length: n - 1 }, (_, i) => i + 2)
  return html`<form class="row cer-start" onSubmit=${(e: Event) => { e.preventDefault(); void start() }} aria-label=${t('cer_start')}>
      <${Field} id="cer-t" label=${t('cer_threshold')} hint=${t('cer_threshold_why', { t: threshold, n, lost: n - threshold })}>
        <select id="cer-t" aria-describedby="cer-t-hint" value=${threshold} onChange=${(e: Event) => setThreshold(Number(valueOf(e)))}>
          ${opts.map((x) => html`<option value=${x}>${x === defaultThreshold(n) ? t('cer_threshold_default', { t: x, n }) : t('cer_threshold_of', { t: x, n })}</option>`)}
        </select><//>
      <button type="submit" class="primary big" disabled=${a.busy}>${t('cer_start')}</button></form>
    ${reusable.length > 0 && html`<div class="cer-reuse"><p>${t('cer_reuse_intro')}</p><ul>${reusable.map((v: Vote) => html`<li>
      <button type="button" disabled=${a.busy} onClick=${() => start(v)}>${t('cer_reuse_of', { title: v.title })}</button></li>`)}</ul></div>`}
    <${Feedback} action=${a} />`
}

/** An aborted ceremony: why, and which members (from the vote's audit log: the ceremony does not say). */
function Aborted({ id }: { id: string }) {
  const c = useLoad(() => unwrap(api.GET('/api/v1/ceremonies/{id}', { params: { path: { id } } })), [id])
  const log = useLoad(c.data ? () => unwrap(api.GET('/api/v1/audit', { params: { query: { vote_id: c.data!.vote_id, limit: 1000 } } })) : null, [c.data?.vote_id])
  if (!c.data) return null
  const ev = [...(log.data ?? [])].reverse().find((e) => e.action === 'ceremony.abort' && e.object_id === id) ?? [...(log.data ?? [])].reverse().find((e) => e.action === 'ceremony.abort')
  const names = c.data.members.filter((m) => ev?.summary.includes(m.user_id)).map((m) => m.full_name)
  const mine = sessions.get(id)?.complaint
  const accused = mine ? c.data.members.find((m) => m.user_id === mine)?.full_name : ''
  return html`<div class="warn-box card" role="alert"><p><strong>${t('cer_aborted')}</strong> ${reasonText(c.data.abort_reason ?? '')}</p>
    ${names.length > 0 && html`<p>${t('cer_aborted_names', { names: names.join(', ') })}</p>`}
    ${accused && html`<p>${t('cer_you_complained', { name: accused })}</p>`}
    <p>${t('cer_restart_hint')}</p></div>`
}

function reasonText(r: string): string {
  if (r.startsWith('complaint: share')) return t('cer_reason_share')
  if (r.startsWith('complaint: decrypt')) return t('cer_reason_decrypt')
  return r
}

/** Everything after the start: progress, this member's rounds, the key file, the summary. */
function Running({ id, vote, me, reload }: { id: string; vote: Vote; me: User; reload: () => void }) {
  const [live, setLive] = useState(true)
  const cer = useCeremony(id, live)
  const c = cer.data
  const [, force] = useState(0)
  const rerender = () => force((x) => x + 1)
  const session = sessions.get(id)
  const mine = c?.members.find((m) => m.user_id === me.id)
  const all = (k: 'round1' | 'round2' | 'round3' | 'reopen') => !!c && c.members.every((m) => has(m, k))
  const reopened = c ? c.members.filter((m) => has(m, 'reopen')).length : 0
  const done = !!c && c.status === 'complete' && reopened + c.members.filter((m) => m.lost).length === c.members.length
  const lastStatus = useRef('')
  useEffect(() => {
    if (!c) return
    setLive(c.status === 'running' || (c.status === 'complete' && !done))
    const sig = c.status + ':' + reopened
    if (lastStatus.current && lastStatus.current !== sig) reload() // the vote's steps and "open" follow
    lastStatus.current = sig
  }, [c?.status, reopened, done])

  // The round-1 messages as this browser checks them, and the transcript fingerprint it shows.
  const checked = useMemo(() => {
    if (!c || !all('round1')) return null
    try {
      const r1s: Round1[] = c.members.map((m) => {
        try {
          return round1FromJSON(m.round1)
        } catch (e) {
          throw e instanceof ProtocolError ? new ProtocolError(`round1[${m.identifier}]`, e.code, e.detail) : e
        }
      })
      const sorted = verifyRound1(paramsOf(c), r1s)
      return { r1s, fp: fingerprint80(transcript(paramsOf(c), sorted)), error: null as unknown }
    } catch (e) {
      return { r1s: [], fp: '', error: e }
    }
  }, [c?.id, c?.members.map((m) => (m.round1 ? JSON.stringify(m.round1) : '')).join('|')])

  const round3 = useAction()
  // Round 3 runs by itself once every share is in: decrypt, check, confirm (or complain).
  useEffect(() => {
    if (!c || c.status !== 'running' || !session || session.sentRound3 || !mine || has(mine, 'round3') || !all('round2')) return
    session.sentRound3 = true
    void round3.run(async () => {
      try {
        await sendRound3()
      } catch (e) {
        session.sentRound3 = false // tried again at the next poll
        throw e
      }
    })
    async function sendRound3() {
      if (!c || !session) return
      const r2s = c.members.filter((m) => m.user_id !== me.id).map((m) => round2FromJSON(m.round2))
      const res = session.member.round3(r2s)
      if (res.complaint) {
        session.complaint = c.members.find((m) => m.identifier === res.complaint!.accused)?.user_id
        cer.setData(await unwrap(api.POST('/api/v1/ceremonies/{id}/round3', { params: { path: { id } }, body: message(complaintToJSON(res.complaint)) })))
        reload()
        return
      }
      session.key = res.key
      cer.setData(await unwrap(api.POST('/api/v1/ceremonies/{id}/round3', { params: { path: { id } }, body: message(confirmationToJSON(res.confirmation!)) })))
    }
  }, [c, session])
  // Leaving the page would lose this browser's part of the ceremony, or a key not yet saved.
  useCeremonyGuard(!!session && (c?.status === 'running' || (c?.status === 'complete' && !!session.key && !session.saved)))

  if (!c) return html`<section class="card ceremony"><h2>${t('cer_title')}</h2><${ErrorBox} error=${cer.error} retry=${cer.reload} />${!cer.error && html`<p role="status">${t('loading')}</p>`}</section>`
  const nameOf = (identifier: string) => c.members.find((m) => m.identifier === identifier)?.full_name ?? identifier.slice(0, 8)
  const stage = c.status === 'complete' ? 'complete' : c.status === 'aborted' ? 'aborted' : !all('round1') ? 1 : !all('round2') ? 2 : 3
  const table = html`<div class="table-wrap"><table class="cer-progress"><caption>${t('cer_progress')}</caption>
    <thead><tr><th scope="col">${t('cer_member')}</th><th scope="col">${t('cer_r1')}</th><th scope="col">${t('cer_r2')}</th><th scope="col">${t('cer_r3')}</th><th scope="col">${t('cer_reopen_col')}</th></tr></thead>
    <tbody>${c.members.map((m) => html`<tr class=${m.user_id === me.id ? 'me' : ''}><th scope="row">${m.full_name}${m.user_id === me.id ? html` <small>(${t('cer_you')})</small>` : ''}</th>
      ${(['round1', 'round2', 'round3', 'reopen'] as const).map((k) => html`<td>${k === 'reopen' && m.lost ? html`<span class="badge warn-box">${t('cer_lost_badge')}</span>`
        : has(m, k) ? html`<span class="ok" aria-label=${t('steps_done')}>✓</span>` : html`<span aria-label=${t('steps_todo')}>…</span>`}</td>`)}</tr>`)}</tbody></table></div>`

  const available = c.members.filter((m) => !m.lost).length
  const summary = html`
    ${c.fingerprint && html`<${FingerprintBig} fp=${c.fingerprint} label=${t('cer_fp_server')} />`}
    <p>${t('cer_summary', { t: c.threshold, n: c.members.length })}</p>
    ${c.group_key && html`<p>${t('cer_joint_key')} <code class="hash-full">${c.group_key}</code></p>`}
    ${available < c.threshold && html`<p class="warn-box card" role="alert">${t('cer_below_threshold', { left: available, t: c.threshold })}</p>`}`

  // After the vote opened: a folded summary, the vote fingerprint this browser computes, the lost file.
  if (vote.status !== 'draft') {
    return html`<${Section} id="cer-h" title=${t('cer_title_done')}>
      <${VoteFingerprint} vote=${vote} groupKey=${c.group_key ?? ''} />
      ${summary}${table}<${BuildHash} />
      ${mine && !mine.lost && vote.status !== 'published' && vote.status !== 'cancelled' && html`<${DeclareLost} id=${id} c=${c} onDone=${(v: CeremonyView) => { cer.setData(v); reload() }} />`}<//>`
  }

  let action
  if (stage === 'aborted') action = html`<${Aborted} id=${id} />`
  else if (!mine) action = html`<p class="notice">${t('cer_not_member')}</p>`
  else if (stage === 1) action = html`<${Round1Step} c=${c} me=${me} mine=${mine} session=${session} onDone=${(v: CeremonyView) => { cer.setData(v); rerender() }} />`
  else if (stage === 2 || stage === 3) {
    if (!session) action = html`<${LostState} />`
    else if (checked?.error) action = html`<div class="error" role="alert"><p>${t('cer_round1_bad', { name: badMember(checked.error, nameOf) })}</p><p>${String((checked.error as Error).message)}</p></div>`
    else if (checked) action = html`
      <${FingerprintBig} fp=${checked.fp} label=${t('cer_fp_mine')} />
      ${c.fingerprint && c.fingerprint !== checked.fp && html`<p class="error" role="alert">${t('cer_fp_differs', { fp: c.fingerprint })}</p>`}
      ${stage === 2 && !has(mine, 'round2') ? html`<${Round2Step} c=${c} session=${session} r1s=${checked.r1s} onDone=${(v: CeremonyView) => cer.setData(v)} />`
        : stage === 2 ? html`<p role="status">${t('cer_wait_r2', { n: c.members.filter((m) => has(m, 'round2')).length, of: c.members.length })}</p>`
        : html`<p role="status">${has(mine, 'round3') ? t('cer_wait_r3', { n: c.members.filter((m) => has(m, 'round3')).length, of: c.members.length }) : t('cer_r3_running')}</p>`}
      <${Feedback} action=${round3} />`
  } else {
    // complete
    const fresh = session?.key
    if (has(mine, 'reopen')) action = html`<p class="notice">${t('cer_reopened_mine')}</p>`
    else if (mine.lost) action = html`<p class="warn-box card">${t('cer_lost_mine')}</p>`
    else {
      const reopen = html`<${Reopen} ceremonyId=${id} me=${me} done=${() => { if (session) session.key = undefined; cer.reload() }} />`
      action = fresh ? html`<${SaveShareFile} shareKey=${fresh} voteTitle=${vote.title} me=${me} onSaved=${() => { session.saved = true; rerender() }} />
          ${session.saved && reopen}`
        : html`<p class="warn-box card">${t('cer_no_key_here')}</p>${reopen}`
    }
  }
  return html`<section class="card ceremony" aria-labelledby="cer-h"><h2 id="cer-h">${t('cer_title')}</h2>
    <${BuildHash} />
    <ol class="cer-stages">${[t('cer_stage_1'), t('cer_stage_2'), t('cer_stage_3'), t('cer_stage_file')].map((s, i) => html`<li class=${
      stage === 'complete' ? (i === 3 ? (done ? 'done' : 'current') : 'done') : stage === i + 1 ? 'current' : typeof stage === 'number' && stage > i + 1 ? 'done' : ''}>${s}</li>`)}</ol>
    ${action}
    ${stage === 'complete' && html`${summary}
      <p class=${done ? 'notice' : ''} role="status">${t('cer_reopen_count', { n: reopened, of: c.members.length })}${done ? ' ' + t('cer_ready') : ''}</p>`}
    ${table}
    ${stage === 'complete' && mine && !mine.lost && html`<${DeclareLost} id=${id} c=${c} onDone=${(v: CeremonyView) => { cer.setData(v); reload() }} />`}
  </section>`
}

function badMember(e: unknown, nameOf: (id: string) => string): string {
  const m = e instanceof ProtocolError ? /round1\[([0-9a-f]{64})\]/.exec(e.field) : null
  return m ? nameOf(m[1]) : '?'
}

/** The page lost its part of a running ceremony (a reload, another device): it must start again. */
function LostState() {
  return html`<div class="warn-box card" role="alert"><p>${t('cer_state_lost')}</p><p>${t('cer_state_lost_how')}</p></div>`
}

function Round1Step({ c, me, mine, session, onDone }: { c: CeremonyView; me: User; mine: CMember; session?: Session; onDone: (v: CeremonyView) => void }) {
  const a = useAction()
  const joined = has(mine, 'round1')
  if (joined && !session) return html`<${LostState} />`
  const n1 = c.members.filter((m) => has(m, 'round1')).length
  if (joined) return html`<p role="status">${t('cer_wait_r1', { n: n1, of: c.members.length })}</p>`
  const join = () => a.run(async () => {
    const { member, round1 } = Member.create(paramsOf(c), me.id)
    const v = await unwrap(api.POST('/api/v1/ceremonies/{id}/round1', { params: { path: { id: c.id } }, body: message(round1ToJSON(round1)) }))
    sessions.set(c.id, { member })
    onDone(v)
  })
  return html`<p>${t('cer_r1_intro')}</p><p class="warn">${t('cer_keep_page')}</p>
    <button type="button" class="primary big" disabled=${a.busy} onClick=${join}>${t('cer_join')}</button>
    <p role="status">${t('cer_wait_r1', { n: n1, of: c.members.length })}</p><${Feedback} action=${a} />`
}

function Round2Step({ c, session, r1s, onDone }: { c: CeremonyView; session: Session; r1s: Round1[]; onDone: (v: CeremonyView) => void }) {
  const [ticked, setTicked] = useState(false)
  const a = useAction()
  const send = () => a.run(async () => {
    const r2 = session.member.round2(r1s)
    onDone(await unwrap(api.POST('/api/v1/ceremonies/{id}/round2', { params: { path: { id: c.id } }, body: message(round2ToJSON(r2)) })))
  })
  return html`<p>${t('cer_read_aloud')}</p>
    <label class="check big-check"><input type="checkbox" checked=${ticked} onChange=${(e: Event) => setTicked((e.currentTarget as HTMLInputElement).checked)} /> ${t('cer_tick')}</label>
    <button type="button" class="primary big" disabled=${a.busy || !ticked} onClick=${send}>${t('cer_send_r2')}</button><${Feedback} action=${a} />`
}

/** Declaring one's key file (or its passphrase) lost, with what it means for the count. */
function DeclareLost({ id, c, onDone }: { id: string; c: CeremonyView; onDone: (v: CeremonyView) => void }) {
  const a = useAction()
  const n = c.members.length
  const available = c.members.filter((m) => !m.lost).length
  const declare = () => a.run(async () => onDone(await unwrap(api.POST('/api/v1/ceremonies/{id}/lost', { params: { path: { id } } }))), {
    confirm: { title: t('cer_lost_title'), danger: true, confirm: t('cer_lost_yes'),
      body: html`<p>${t('cer_lost_body', { lost: n - c.threshold, t: c.threshold })}</p>${available - 1 < c.threshold && html`<p class="warn"><strong>${t('cer_lost_fatal', { left: available - 1, t: c.threshold })}</strong></p>`}` },
    done: t('cer_lost_done'),
  })
  return html`<details class="card danger-zone"><summary>${t('cer_lost_title')}</summary>
    <p>${t('cer_lost_body', { lost: n - c.threshold, t: c.threshold })}</p>
    <button type="button" class="danger" disabled=${a.busy} onClick=${declare}>${t('cer_lost_yes')}</button><${Feedback} action=${a} /></details>`
}

/**
 * The vote fingerprint this browser computes from the vote's manifest (once the vote is open), to
 * compare with the kiosks' screens; and a check that the manifest's key is the ceremony's.
 */
export function VoteFingerprint({ vote, groupKey }: { vote: Vote; groupKey: string }) {
  const m = vote.encryption?.manifest
  if (!m) return null
  let fp = ''
  let bad = ''
  try {
    const man = manifestFromJSON(m)
    fp = voteFingerprint(man)
    if (groupKey && man.publicKey.hex !== groupKey) bad = t('enc_manifest_key_differs')
    if (vote.encryption?.fingerprint && vote.encryption.fingerprint !== fp) bad = t('enc_manifest_fp_differs', { fp: vote.encryption.fingerprint })
  } catch (e) {
    bad = String((e as Error).message)
  }
  return html`<div class="vote-fp">${fp && html`<${FingerprintBig} fp=${fp} label=${t('enc_vote_fp')} />`}<p><small>${t('enc_vote_fp_explain')}</small></p>
    ${bad && html`<p class="error" role="alert">${bad}</p>`}</div>`
}

/** Asks before leaving the page while this browser holds a running ceremony's secrets. */
export function useCeremonyGuard(active: boolean) {
  useEffect(() => {
    if (!active) return
    const ask = (e: BeforeUnloadEvent) => { e.preventDefault(); e.returnValue = '' }
    addEventListener('beforeunload', ask)
    return () => removeEventListener('beforeunload', ask)
  }, [active])
}
