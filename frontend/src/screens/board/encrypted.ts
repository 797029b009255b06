// The board console's parts of an encrypted vote, in the order the work comes: the key ceremony and
// the code slips before the opening; after the close the paper totals sealed (a hybrid vote), the
// decryption, then (in count.ts) the signed certification; after publication the destruction of the
// key files. The ceremony's summary stays at hand throughout.

import { html } from '../../ui'
import { CeremonyCard } from './ceremony'
import { Decrypt } from './decrypt'
import type { Part } from './index'
import { PaperTotals } from './papertotals'
import { Destruction } from './sign'
import { Slips } from './slips'

export function Encrypted(p: Part) {
  const { vote: v, me, can } = p
  const member = v.board.some((m) => m.user_id === me.id)
  if (!member) return null
  const e = v.encryption
  const paperToSeal = v.status === 'closed' && !!v.paper && v.paper.reconciled && !v.paper.sealed && can('paper_totals')
  return html`
    ${v.status !== 'closed' && html`<${CeremonyCard} ...${p} />`}
    ${(v.status === 'draft' || v.status === 'open') && can('register_credentials') && html`<${Slips} ...${p} />`}
    ${paperToSeal && html`<${PaperTotals} ...${p} />`}
    ${v.status === 'closed' && e && html`<${Decrypt} ...${p} />`}
    ${v.status === 'closed' && html`<${CeremonyCard} ...${p} />`}
    ${(v.status === 'published' || v.status === 'cancelled') && v.ceremony_id && html`<${Destruction} vote=${v} me=${me} />`}`
}
