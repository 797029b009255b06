// Drafting a vote, or editing a draft: the kind, dates (typed dd/mm/yyyy), the rule set by its name
// (from the API, those that fit the council), the people chosen (select all), ballot groups and the
// preparation dates, and the vote's modes (electronic, paper or both; encrypted or plain ballots; seat
// tablets), always sent explicitly. Eligibility and exclusions come back from the server with the
// draft. A new draft carries an idempotency key, the same for every sending of the same form.

import { useRef, useState } from 'preact/hooks'
import { api, newKey, Official, unwrap, Vote, VoteInput } from '../../api'
import { Key, t } from '../../i18n'
import { byVietnameseName, today as localToday } from '../../format'
import { checkedOf, DateInput, Feedback, Field, html, Loaded, useAction, useLoad, useRuleSets, valueOf } from '../../ui'
import { type CastingMode, ModeFields, type Modes, modesBody, modesOf } from './modes'

type Prep = NonNullable<VoteInput['preparation']>
// The API takes casting_mode with the draft (internal/vote.Input); openapi.yaml's VoteInput does not
// list it yet, so the form's type adds it.
type DraftInput = VoteInput & { casting_mode?: CastingMode }
const PREP: [keyof Prep, Key][] = [['list_sent_on', 'sec_prep_list'], ['reports_received_on', 'sec_prep_reports'], ['front_summary_on', 'sec_prep_front'], ['documents_sent_on', 'sec_prep_documents']]

function fromVote(v: Vote): DraftInput {
  return {
    ...modesOf(v),
    kind: v.kind, title: v.title, session_name: v.session_name, session_opens_on: v.session_opens_on, vote_date: v.vote_date,
    rule_set: v.rule_set as VoteInput['rule_set'], percentage_base: v.percentage_base, exclude_serious_illness: v.exclude_serious_illness,
    official_ids: [...v.subjects.map((s) => s.official_id), ...v.exclusions.map((x) => x.official_id)],
    preparation: { ...v.preparation },
    trigger: v.trigger ? (v.trigger as VoteInput['trigger']) : undefined,
  }
}

export function VoteForm({ council, done, cancel, editing, preset }: {
  council: string; done: (v: Vote) => void; cancel: () => void; editing?: Vote; preset?: VoteInput
}) {
  const officials = useLoad(() => unwrap(api.GET('/api/v1/councils/{id}/officials', { params: { path: { id: council } } })), [council])
  const councilData = useLoad(() => unwrap(api.GET('/api/v1/councils/{id}', { params: { path: { id: council } } })), [council])
  const ruleSets = useRuleSets()
  const today = localToday()
  const [f, setF0] = useState<DraftInput>(editing ? fromVote(editing) : { ...modesOf(preset ?? {}), ...(preset ?? { kind: 'confidence', title: '', session_name: '', session_opens_on: today, vote_date: today,
    official_ids: [], exclude_serious_illness: false, preparation: {} }) })
  const [groupTitles, setGroupTitles] = useState<string[]>(editing && editing.ballot_groups.length > 1 ? editing.ballot_groups : [''])
  const [groupOf, setGroupOf] = useState<Record<string, number>>(editing ? Object.fromEntries(editing.subjects.map((s) => [s.official_id, s.ballot_group])) : {})
  // One key per form content: sending the same form again (a double click, a retry after a lost
  // answer) makes one draft; a change makes a new submission.
  const key = useRef(newKey())
  const setF = (next: DraftInput) => { key.current = newKey(); setF0(next) }
  const modes = modesOf(f)
  const a = useAction()
  const c = councilData.data
  const fitting = (ruleSets.data ?? []).filter((r) => !c || (r.bodies.includes(c.body) && r.levels.includes(c.level)))
  const ruleSet = f.rule_set ?? fitting[0]?.id
  const chosenRule = ruleSets.data?.find((r) => r.id === ruleSet)
  const toggle = (id: string) => setF({ ...f, official_ids: f.official_ids.includes(id) ? f.official_ids.filter((x) => x !== id) : [...f.official_ids, id] })
  const submit = (e: Event) => {
    e.preventDefault()
    const body: DraftInput = { ...f, ...modesBody(modes), rule_set: ruleSet as VoteInput['rule_set'] }
    if (!body.percentage_base) delete body.percentage_base
    if (groupTitles.length > 1) {
      body.ballot_groups = groupTitles
        .map((title, g) => ({ title: title || t('sec_group_default', { council: c?.name ?? '' }), official_ids: f.official_ids.filter((id) => (groupOf[id] ?? 0) === g) }))
        .filter((g) => g.official_ids.length > 0)
    }
    void a.run(async () => {
      const v = editing
        ? await unwrap(api.PUT('/api/v1/votes/{id}', { params: { path: { id: editing.id } }, body }))
        : await unwrap(api.POST('/api/v1/councils/{id}/votes', { params: { path: { id: council }, header: { 'Idempotency-Key': key.current } }, body }))
      done(v)
    })
  }
  const prep = f.preparation ?? {}
  return html`<section><h2>${editing ? t('sec_vote_edit') : t('sec_vote_new')}</h2><form class="card grid vote-form" onSubmit=${submit} aria-label=${editing ? t('sec_vote_edit') : t('sec_vote_new')}>
    <${Field} id="v-kind" label=${t('sec_vote_kind')}><select id="v-kind" value=${f.kind} onChange=${(e: Event) => setF({ ...f, kind: valueOf(e) as VoteInput['kind'] })}>
      <option value="confidence">${t('sec_kind_confidence')}</option><option value="no_confidence">${t('sec_kind_no_confidence')}</option></select><//>
    <${Field} id="v-title" label=${t('sec_vote_title')} span=${2}><input id="v-title" required maxlength="300" value=${f.title} onInput=${(e: Event) => setF({ ...f, title: valueOf(e) })} /><//>
    <${Field} id="v-session" label=${t('sec_session')} hint=${t('sec_session_hint')}><input id="v-session" required maxlength="200" aria-describedby="v-session-hint" value=${f.session_name} onInput=${(e: Event) => setF({ ...f, session_name: valueOf(e) })} /><//>
    <${Field} id="v-opens" label=${t('sec_session_opens')}><${DateInput} id="v-opens" required value=${f.session_opens_on} onChange=${(v: string) => setF({ ...f, session_opens_on: v })} /><//>
    <${Field} id="v-date" label=${t('sec_vote_date')}><${DateInput} id="v-date" required value=${f.vote_date} onChange=${(v: string) => setF({ ...f, vote_date: v })} /><//>
    <${Field} id="v-rules" label=${t('sec_rule_set')} hint=${chosenRule?.citation} span=${2}><select id="v-rules" value=${ruleSet} aria-describedby="v-rules-hint" onChange=${(e: Event) => setF({ ...f, rule_set: valueOf(e) as VoteInput['rule_set'] })}>
      ${(fitting.length > 0 ? fitting : ruleSets.data ?? []).map((r) => html`<option value=${r.id}>${r.name}</option>`)}</select><//>
    <${Field} id="v-base" label=${t('sec_base')}><select id="v-base" value=${f.percentage_base ?? ''} onChange=${(e: Event) => setF({ ...f, percentage_base: (valueOf(e) || undefined) as VoteInput['percentage_base'] })}>
      <option value="">${chosenRule ? t('sec_base_default', { base: t(chosenRule.default_base === 'ballots_received' ? 'sec_base_received' : 'sec_base_total') }) : '—'}</option>
      <option value="total_delegates">${t('sec_base_total')}</option><option value="ballots_received">${t('sec_base_received')}</option></select><//>
    <label class="check"><input type="checkbox" checked=${f.exclude_serious_illness} onChange=${(e: Event) => setF({ ...f, exclude_serious_illness: checkedOf(e) })} /> ${t('sec_illness')}</label>
    <${ModeFields} value=${modes} onChange=${(m: Modes) => setF({ ...f, ...m })} />
    ${ruleSets.error && html`<p class="warn wide">${t('sec_rule_sets_failed')} <button type="button" onClick=${ruleSets.reload}>${t('retry')}</button></p>`}
    <fieldset class="wide grid"><legend>${t('sec_prep')}</legend>
      ${PREP.map(([k, label]) => html`<${Field} id=${'prep-' + k} label=${t(label)}><${DateInput} id=${'prep-' + k} value=${prep[k] ?? ''}
        onChange=${(v: string) => setF({ ...f, preparation: { ...prep, [k]: v || undefined } })} /><//>`)}
    </fieldset>
    <fieldset class="wide grid"><legend>${t('sec_groups')}</legend>
      <${Field} id="g-count" label=${t('sec_groups_count')}><select id="g-count" value=${groupTitles.length}
        onChange=${(e: Event) => { const n = Number(valueOf(e)); setGroupTitles(Array.from({ length: n }, (_, i) => groupTitles[i] ?? '')) }}>
        ${[1, 2, 3, 4].map((n) => html`<option value=${n}>${n}</option>`)}</select><//>
      ${groupTitles.length > 1 && groupTitles.map((g, i) => html`<${Field} id=${'g-title-' + i} label=${t('sec_group_title', { n: i + 1 })}>
        <input id=${'g-title-' + i} value=${g} onInput=${(e: Event) => setGroupTitles(groupTitles.map((x, j) => (j === i ? valueOf(e) : x)))} /><//>`)}
    </fieldset>
    <fieldset class="wide officials"><legend>${t('sec_choose_officials')}</legend>
      <p class="sub">${t('sec_choose_hint')}</p>
      <${Loaded} state=${officials}>${(os: Official[]) => html`
        <div class="row"><button type="button" onClick=${() => setF({ ...f, official_ids: os.map((o) => o.id) })}>${t('sec_select_all')}</button>
          <button type="button" onClick=${() => setF({ ...f, official_ids: [] })}>${t('sec_select_none')}</button>
          <span role="status">${t('sec_selected', { n: f.official_ids.length, of: os.length })}</span></div>
        ${os.length === 0 && html`<p class="empty">${t('sec_officials_none')}</p>`}
        ${byVietnameseName(os, (o) => o.full_name).map((o) => html`<div class="row official"><label class="check"><input type="checkbox" checked=${f.official_ids.includes(o.id)} onChange=${() => toggle(o.id)} />
          ${o.full_name} — <small>${o.positions.map((p) => p.title).join('; ')}</small></label>
          ${groupTitles.length > 1 && f.official_ids.includes(o.id) && html`<select class="inline" aria-label=${t('sec_group_of', { name: o.full_name })} value=${groupOf[o.id] ?? 0}
            onChange=${(e: Event) => setGroupOf({ ...groupOf, [o.id]: Number(valueOf(e)) })}>${groupTitles.map((g, i) => html`<option value=${i}>${t('sec_group_n', { n: i + 1 })}${g ? ': ' + g : ''}</option>`)}</select>`}</div>`)}`}<//>
    </fieldset>
    <${Feedback} action=${a} />
    <div class="row wide"><button type="button" onClick=${cancel}>${t('cancel')}</button>
      <button type="submit" class="primary" disabled=${a.busy}>${editing ? t('sec_save_draft') : t('sec_create_draft')}</button></div>
  </form></section>`
}
