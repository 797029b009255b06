// A vote's modes (issue 16 §1, issue 14 point 9): how delegates cast — on kiosks or tablets, on paper,
// or either — and, for an electronic ballot, whether it is encrypted (the default) or plain, and
// whether delegates vote on the tablet at their seat. The draft form chooses them; the vote's pages
// show them in words.

import { t } from '../../i18n'
import { html } from '../../ui'

export type CastingMode = 'electronic' | 'paper' | 'hybrid'
export type BallotMode = 'encrypted' | 'plain'

export interface Modes {
  casting_mode: CastingMode
  ballot_mode: BallotMode
  seat_tablets: boolean
}

const CASTING: CastingMode[] = ['electronic', 'paper', 'hybrid']

export const castingLabel = (m: string) => t(m === 'paper' ? 'mode_cast_paper' : m === 'hybrid' ? 'mode_cast_hybrid' : 'mode_cast_electronic')
export const ballotModeLabel = (m: string) => t(m === 'plain' ? 'mode_ballot_plain' : 'mode_ballot_encrypted')

/** The modes of a vote as the API gives them (an older vote without them is electronic and encrypted). */
export function modesOf(v: { casting_mode?: string; ballot_mode?: string; seat_tablets?: boolean }): Modes {
  const casting = (CASTING as string[]).includes(v.casting_mode ?? '') ? (v.casting_mode as CastingMode) : 'electronic'
  return { casting_mode: casting, ballot_mode: v.ballot_mode === 'plain' ? 'plain' : 'encrypted', seat_tablets: !!v.seat_tablets }
}

/**
 * What the request carries: always both modes, explicitly, as the server accepts them (vote.Input):
 * a paper vote's ballots are plain, without tablets; seat tablets only with encrypted ballots (a
 * tablet at a seat is tied to who votes there: plain_with_seat_tablets).
 */
export function modesBody(m: Modes): Modes {
  if (m.casting_mode === 'paper') return { casting_mode: 'paper', ballot_mode: 'plain', seat_tablets: false }
  return m.ballot_mode === 'plain' ? { ...m, seat_tablets: false } : m
}

/** "Kết hợp giấy và điện tử · phiếu điện tử mã hóa · máy tính bảng tại chỗ ngồi". */
export function modeText(v: { casting_mode?: string; ballot_mode?: string; seat_tablets?: boolean }): string {
  const m = modesOf(v)
  const parts = [castingLabel(m.casting_mode)]
  if (m.casting_mode !== 'paper') parts.push(t(m.ballot_mode === 'plain' ? 'mode_line_plain' : 'mode_line_encrypted'))
  if (m.casting_mode !== 'paper' && m.seat_tablets) parts.push(t('mode_seat_tablets_short'))
  return parts.join(' · ')
}

/** The vote's modes, in one line, on its pages. */
export function ModeLine({ vote }: { vote: { casting_mode?: string; ballot_mode?: string; seat_tablets?: boolean } }) {
  return html`<p class="mode-line"><strong>${t('mode_label')}:</strong> ${modeText(vote)}</p>`
}

/** The draft form's choice of modes. */
export function ModeFields({ value, onChange }: { value: Modes; onChange: (m: Modes) => void }) {
  const electronic = value.casting_mode !== 'paper'
  const radio = (name: string, v: string, checked: boolean, label: string, hint: string, set: () => void) => html`
    <label class="choice"><input type="radio" name=${name} value=${v} checked=${checked} onChange=${set} aria-describedby=${`${name}-${v}-hint`} />
      <span><strong>${label}</strong><small id=${`${name}-${v}-hint`}>${hint}</small></span></label>`
  return html`<fieldset class="wide modes"><legend>${t('mode_label')}</legend>
    <fieldset class="choices"><legend>${t('mode_cast_legend')}</legend>
      ${CASTING.map((c) => radio('m-cast', c, value.casting_mode === c, castingLabel(c), t(('mode_cast_' + c + '_hint') as 'mode_cast_paper_hint'),
        () => onChange({ ...value, casting_mode: c })))}
    </fieldset>
    ${electronic && html`<fieldset class="choices"><legend>${t('mode_ballot_legend')}</legend>
      ${radio('m-ballot', 'encrypted', value.ballot_mode === 'encrypted', t('mode_ballot_encrypted_choice'), t('mode_ballot_encrypted_hint'), () => onChange({ ...value, ballot_mode: 'encrypted' }))}
      ${radio('m-ballot', 'plain', value.ballot_mode === 'plain', t('mode_ballot_plain'), t('mode_ballot_plain_hint'), () => onChange({ ...value, ballot_mode: 'plain', seat_tablets: false }))}
    </fieldset>
    <div class="field"><label class="check"><input id="m-tablets" type="checkbox" checked=${value.seat_tablets && value.ballot_mode !== 'plain'} disabled=${value.ballot_mode === 'plain'}
        aria-describedby="m-tablets-hint" onChange=${(e: Event) => onChange({ ...value, seat_tablets: (e.currentTarget as HTMLInputElement).checked })} /> ${t('mode_seat_tablets_check')}</label>
      <small id="m-tablets-hint">${t('mode_seat_tablets_hint')}</small></div>`}
  </fieldset>`
}
