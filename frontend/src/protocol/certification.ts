// The certification statement (docs/PROTOCOL.md §12.1).
import { type Bytes, fromHex, hash, toHex, u64, utf8 } from './bytes'
import { sign, verifySig } from './ed'
import { fail } from './errors'
import type { ShareKey } from './ceremony'
import { parseIdentifierHex } from './identifier'
import { id, int, shape } from './json'

export interface Certification {
  version: 1
  voteId: string
  ceremonyId: string
  identifier: string
  tallyHash: Bytes // 32
  base: string
  auditAnchor: Bytes // 32
  auditCount: number
  signature: Bytes
}

/** H("tinnhiem/v1/certification", vote_id, tally_hash, base, anchor hash, u64(anchor count)). */
export function certificationStatement(voteId: string, tallyHash: Bytes, base: string, anchor: Bytes, count: number): Bytes {
  if (tallyHash.length !== 32 || anchor.length !== 32) fail('tally_hash', 'length', 'the tally hash and the anchor hash have 32 bytes')
  return hash('tinnhiem/v1/certification', utf8(voteId), tallyHash, utf8(base), anchor, u64(count))
}

export function certify(k: ShareKey, voteId: string, tallyHash: Bytes, base: string, anchor: Bytes, count: number): Certification {
  return {
    version: 1,
    voteId,
    ceremonyId: k.ceremonyId,
    identifier: k.identifier,
    tallyHash,
    base,
    auditAnchor: anchor,
    auditCount: count,
    signature: sign(k.signingSeed, certificationStatement(voteId, tallyHash, base, anchor, count)),
  }
}

export const verifyCertification = (c: Certification, signingKey: Bytes): void =>
  verifySig('signature', signingKey, certificationStatement(c.voteId, c.tallyHash, c.base, c.auditAnchor, c.auditCount), c.signature)

export const certificationToJSON = (c: Certification) => ({
  version: 1,
  vote_id: c.voteId,
  ceremony_id: c.ceremonyId,
  identifier: c.identifier,
  tally_hash: toHex(c.tallyHash),
  base: c.base,
  audit_anchor: toHex(c.auditAnchor),
  audit_count: c.auditCount,
  signature: toHex(c.signature),
})

export function certificationFromJSON(j: unknown): Certification {
  const o = shape(j, ['version', 'vote_id', 'ceremony_id', 'identifier', 'tally_hash', 'base', 'audit_anchor', 'audit_count', 'signature'])
  return {
    version: 1,
    voteId: id('vote_id', o.vote_id),
    ceremonyId: id('ceremony_id', o.ceremony_id),
    identifier: parseIdentifierHex('identifier', o.identifier),
    tallyHash: fromHex('tally_hash', o.tally_hash, 32),
    base: id('base', o.base),
    auditAnchor: fromHex('audit_anchor', o.audit_anchor, 32),
    auditCount: int('audit_count', o.audit_count, 0, Number.MAX_SAFE_INTEGER),
    signature: fromHex('signature', o.signature, 64),
  }
}
