// The key ceremony (docs/PROTOCOL.md §10): noble's ristretto255_FROST.DKG (round1/round2/round3),
// wrapped in signed messages, with round-2 shares encrypted to each recipient's ceremony key, the
// transcript hash read aloud as an 80-bit fingerprint, and the public result anyone recomputes.
import { ristretto255_FROST } from '@noble/curves/ed25519.js'
import { sha256, sha512 } from '@noble/hashes/sha2.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import { type Bytes, type RNG, Hasher, concat, equalBytes, fingerprint80, frame, fromHex, systemRNG, toHex, utf8 } from './bytes'
import { keyHex, publicKeyOf, sign, verifySig, checkPublicKey } from './ed'
import { fail, relocate, within } from './errors'
import { type RP, Elt, RistrettoPoint, decodePoint, decodeScalar, hashToScalarBytes, mod, msm, pointHex, randomScalar } from './group'
import { compareIds, deriveIdentifier, idScalar, parseIdentifierHex } from './identifier'
import { id, list, shape } from './json'

const DKG = ristretto255_FROST.DKG

export interface Ceremony {
  id: string
  councilId: string
  voteId: string // the vote the ceremony was started for
  threshold: number
  members: string[] // the board members' user ids
}

/** A majority of the board, at least 2. */
export const defaultThreshold = (n: number): number => Math.max(2, Math.floor(n / 2) + 1)

/** The members' identifiers in identifier order (refuses a zero or repeated identifier). */
export function ceremonyIdentifiers(c: Ceremony): string[] {
  const ids = c.members.map((u, i) => {
    id(`members[${i}]`, u)
    return deriveIdentifier(u)
  })
  ids.sort(compareIds)
  for (let i = 1; i < ids.length; i++) if (ids[i] === ids[i - 1]) fail('members', 'duplicate', 'two members have the same identifier')
  return ids
}

export function validateCeremony(c: Ceremony): void {
  id('ceremony_id', c.id)
  id('council_id', c.councilId)
  id('vote_id', c.voteId)
  const n = c.members.length
  if (n < 2 || n > 255) fail('members', 'range', 'a board has 2 to 255 members')
  if (!Number.isInteger(c.threshold) || c.threshold < 2 || c.threshold > n) fail('threshold', 'range', `the threshold must be 2 to ${n}`)
  ceremonyIdentifiers(c)
}

export interface Round1 {
  version: 1
  ceremonyId: string
  identifier: string
  commitment: Elt[]
  proofOfKnowledge: Bytes // enc(R) || sc(mu)
  ceremonyKey: Elt
  signingKey: Bytes
  signature: Bytes
}

export function round1Statement(c: Ceremony, r: Round1): Bytes {
  const h = new Hasher('tinnhiem/v1/round1').str(c.id).str(c.councilId).str(c.voteId).u64(c.threshold).u64(c.members.length)
  h.bytes(fromHex('identifier', r.identifier, 32))
  for (const x of r.commitment) h.bytes(x.b)
  return h.bytes(r.proofOfKnowledge).bytes(r.ceremonyKey.b).bytes(r.signingKey).digest()
}

/** noble's DKG proof-of-knowledge check: R = mu·G − c·C_0, c = H_dkg(id || C_0 || R). */
export function verifyPoK(identifier: string, c0: Elt, pok: Bytes): void {
  const R = decodePoint(pok.subarray(0, 32), false, 'proof_of_knowledge')
  const mu = decodeScalar(pok.subarray(32), 'proof_of_knowledge')
  const c = hashToScalarBytes(sha512(concat(utf8('FROST-RISTRETTO255-SHA512-v1dkg'), fromHex('identifier', identifier, 32), c0.b, R.b)))
  const got = RistrettoPoint.BASE.multiplyUnsafe(mu).subtract(c0.p.multiplyUnsafe(c))
  if (!got.equals(R.p)) fail('proof_of_knowledge', 'proof', 'the proof of knowledge does not verify')
}

function checkRound1(c: Ceremony, r: Round1): void {
  if (r.ceremonyId !== c.id) fail('ceremony_id', 'mismatch', 'another ceremony')
  if (r.commitment.length !== c.threshold) fail('commitment', 'length', `${r.commitment.length} commitments, the threshold is ${c.threshold}`)
  r.commitment.forEach((x, i) => {
    if (x.isIdentity()) fail(`commitment[${i}]`, 'identity', 'the identity element is not allowed here')
  })
  if (r.ceremonyKey.isIdentity()) fail('ceremony_key', 'identity', 'the identity element is not allowed here')
  checkPublicKey(r.signingKey, 'signing_key')
  verifyPoK(r.identifier, r.commitment[0], r.proofOfKnowledge)
  verifySig('signature', r.signingKey, round1Statement(c, r), r.signature)
}

/** Checks round-1 messages (§10.4) and returns them in identifier order. */
export function verifyRound1(c: Ceremony, msgs: Round1[], partial = false): Round1[] {
  validateCeremony(c)
  const ids = ceremonyIdentifiers(c)
  const sorted = [...msgs].sort((a, b) => compareIds(a.identifier, b.identifier))
  if (!partial && sorted.length !== ids.length) fail('round1', 'length', `${sorted.length} round-1 messages for ${ids.length} members`)
  const keys = new Set<string>()
  const signing = new Set<string>()
  sorted.forEach((r, i) => {
    const name = `round1[${r.identifier}]`
    if (i > 0 && sorted[i - 1].identifier === r.identifier) fail(name, 'duplicate', 'two round-1 messages from one member')
    if (!ids.includes(r.identifier)) fail(name + '.identifier', 'mismatch', 'not a member of this ceremony')
    try {
      checkRound1(c, r)
    } catch (e) {
      throw relocate(e, name)
    }
    if (keys.has(r.ceremonyKey.hex)) fail(name + '.ceremony_key', 'duplicate', 'another member has this ceremony key')
    if (signing.has(toHex(r.signingKey))) fail(name + '.signing_key', 'duplicate', 'another member has this signing key')
    keys.add(r.ceremonyKey.hex)
    signing.add(toHex(r.signingKey))
  })
  return sorted
}

/** The transcript hash (§10.5), over round-1 messages in identifier order. */
export function transcript(c: Ceremony, sorted: Round1[]): Bytes {
  const h = new Hasher('tinnhiem/v1/transcript').str(c.id).str(c.councilId).str(c.voteId).u64(c.threshold).u64(c.members.length)
  for (const r of sorted) {
    h.bytes(fromHex('identifier', r.identifier, 32)).bytes(r.ceremonyKey.b).bytes(r.signingKey)
    for (const x of r.commitment) h.bytes(x.b)
    h.bytes(r.proofOfKnowledge)
  }
  return h.digest()
}

export const fingerprint = (t: Bytes): string => fingerprint80(t)

export interface EncryptedShare {
  recipient: string
  nonce: Bytes // 24
  ciphertext: Bytes // 48
}

export interface Round2 {
  version: 1
  ceremonyId: string
  identifier: string
  shares: EncryptedShare[]
  signature: Bytes
}

export function round2Statement(r: Round2, t: Bytes): Bytes {
  const h = new Hasher('tinnhiem/v1/round2').str(r.ceremonyId).bytes(t).bytes(fromHex('identifier', r.identifier, 32))
  for (const s of r.shares) h.bytes(fromHex('recipient', s.recipient, 32)).bytes(s.nonce).bytes(s.ciphertext)
  return h.digest()
}

function shareCipher(e: bigint, E: Elt, t: Bytes, ceremonyId: string, from: string, to: string) {
  const dh = E.p.multiply(e)
  if (dh.is0()) fail('ceremony_key', 'identity', 'the shared point is the identity')
  const f = fromHex('identifier', from, 32)
  const tt = fromHex('identifier', to, 32)
  const key = hkdf(sha256, dh.toBytes(), t, frame(utf8('tinnhiem/v1/share'), utf8(ceremonyId), f, tt), 32)
  return { key, aad: frame(utf8(ceremonyId), f, tt) }
}

/** The server's check of a round-2 message (it cannot read the shares). */
export function verifyRound2(c: Ceremony, sorted: Round1[], t: Bytes, r: Round2): void {
  if (r.ceremonyId !== c.id) fail('ceremony_id', 'mismatch', 'another ceremony')
  const sender = sorted.find((x) => x.identifier === r.identifier)
  if (!sender) fail('identifier', 'mismatch', 'not a member of this ceremony')
  const others = sorted.filter((x) => x.identifier !== r.identifier)
  if (r.shares.length !== others.length) fail('shares', 'length', `${r.shares.length} shares for ${others.length} other members`)
  others.forEach((x, j) => {
    if (r.shares[j].recipient !== x.identifier) fail(`shares[${j}].recipient`, 'mismatch', 'the recipients must be the other members in identifier order')
  })
  verifySig('signature', sender.signingKey, round2Statement(r, t), r.signature)
}

export interface ShareKey {
  ceremonyId: string
  identifier: string
  signingShare: bigint
  verifyingShare: Elt
  groupKey: Elt
  signingSeed: Bytes
  fingerprint: string
}

export interface Confirmation {
  version: 1
  ceremonyId: string
  identifier: string
  groupKey: Elt
  verifyingShare: Elt
  transcript: Bytes
  signature: Bytes
}

export const confirmationStatement = (r: Confirmation): Bytes =>
  new Hasher('tinnhiem/v1/round3').str(r.ceremonyId).bytes(fromHex('identifier', r.identifier, 32)).bytes(r.groupKey.b).bytes(r.verifyingShare.b).bytes(r.transcript).digest()

export interface Complaint {
  version: 1
  ceremonyId: string
  identifier: string
  accused: string
  reason: 'decrypt' | 'share'
  transcript: Bytes
  signature: Bytes
}

export const complaintStatement = (r: Complaint): Bytes =>
  new Hasher('tinnhiem/v1/complaint').str(r.ceremonyId).bytes(fromHex('identifier', r.identifier, 32)).bytes(fromHex('accused', r.accused, 32)).str(r.reason).bytes(r.transcript).digest()

export interface Round3Result {
  confirmation?: Confirmation
  key?: ShareKey
  complaint?: Complaint
}

const nobleRound1 = (r: Round1) => ({ identifier: r.identifier, commitment: r.commitment.map((x) => x.b), proofOfKnowledge: r.proofOfKnowledge })

/** s·G = Σ x^m·C_m (noble's validateSecretShare). */
export function shareMatches(identifier: string, commitment: Elt[], s: bigint): boolean {
  const x = idScalar(identifier)
  const pows: bigint[] = []
  let p = 1n
  for (let i = 0; i < commitment.length; i++) {
    pows.push(p)
    p = mod(p * x)
  }
  const rhs = msm(commitment.map((c) => c.p), pows)
  return RistrettoPoint.BASE.multiplyUnsafe(mod(s)).equals(rhs)
}

/** A board member's secret state during the ceremony (browser memory only). */
export class Member {
  private round1s?: Round1[]
  private t?: Bytes
  private constructor(
    readonly c: Ceremony,
    readonly identifier: string,
    private dkg: ReturnType<typeof DKG.round1>['secret'],
    private e: bigint,
    private seed: Bytes,
  ) {}

  /**
   * Starts a member's ceremony. Draws from rng, in this order: noble's DKG.round1 (t coefficients and
   * the PoK nonce, 48 bytes each), the ceremony key e (48 bytes), the signing seed (32 bytes).
   */
  static create(c: Ceremony, userId: string, rng: RNG = systemRNG): { member: Member; round1: Round1 } {
    validateCeremony(c)
    if (!c.members.includes(userId)) fail('user_id', 'mismatch', 'not a member of the board')
    const identifier = deriveIdentifier(userId)
    const nobleRng = (n?: number) => rng(n ?? 32) as Uint8Array<ArrayBuffer>
    const { public: pub, secret } = DKG.round1(identifier, { min: c.threshold, max: c.members.length }, undefined, nobleRng)
    const e = randomScalar(rng)
    const seed = rng(32)
    const m = new Member({ ...c, members: [...c.members] }, identifier, secret, e, seed)
    const r: Round1 = {
      version: 1,
      ceremonyId: c.id,
      identifier,
      commitment: pub.commitment.map((b) => decodePoint(b, false)),
      proofOfKnowledge: Uint8Array.from(pub.proofOfKnowledge),
      ceremonyKey: Elt.of(RistrettoPoint.BASE.multiply(e)),
      signingKey: publicKeyOf(seed),
      signature: new Uint8Array(64),
    }
    r.signature = sign(seed, round1Statement(c, r))
    return { member: m, round1: r }
  }

  get transcript(): Bytes | undefined {
    return this.t
  }

  /**
   * Drops the member's secrets (the polynomial, the ceremony key, the signing seed, zeroed where they
   * are bytes); the member can do nothing more. A bigint cannot be overwritten: its reference goes.
   */
  forget(): void {
    this.seed.fill(0)
    if (this.dkg.coefficients) this.dkg.coefficients = undefined
    this.e = 0n
  }

  /** Verifies every round-1 message, fixes the transcript, and encrypts this member's shares (one 24-byte nonce per recipient from rng, identifier order). */
  round2(r1: Round1[], rng: RNG = systemRNG): Round2 {
    const sorted = verifyRound1(this.c, r1)
    this.round1s = sorted
    this.t = transcript(this.c, sorted)
    const others = sorted.filter((r) => r.identifier !== this.identifier)
    const pkgs = DKG.round2(this.dkg, others.map(nobleRound1))
    const out: Round2 = { version: 1, ceremonyId: this.c.id, identifier: this.identifier, shares: [], signature: new Uint8Array(64) }
    for (const r of others) {
      const nonce = rng(24)
      const { key, aad } = shareCipher(this.e, r.ceremonyKey, this.t, this.c.id, this.identifier, r.identifier)
      const ciphertext = xchacha20poly1305(key, nonce, aad).encrypt(pkgs[r.identifier].signingShare)
      out.shares.push({ recipient: r.identifier, nonce, ciphertext })
    }
    out.signature = sign(this.seed, round2Statement(out, this.t))
    return out
  }

  /** Decrypts and checks the shares addressed to this member; confirms, or complains against the first bad sender. */
  round3(r2: Round2[]): Round3Result {
    if (!this.round1s || !this.t) fail('', 'mismatch', 'round 2 has not run')
    const t = this.t
    const bySender = new Map<string, Round2>()
    r2.forEach((r, i) => {
      try {
        verifyRound2(this.c, this.round1s!, t, r)
      } catch (e) {
        throw relocate(e, `round2[${i}]`)
      }
      bySender.set(r.identifier, r)
    })
    const received: { identifier: string; signingShare: Bytes }[] = []
    const others = this.round1s.filter((r) => r.identifier !== this.identifier)
    for (const r1 of others) {
      const r = bySender.get(r1.identifier)
      if (!r) fail('round2', 'length', `no round-2 message from ${r1.identifier}`)
      const enc = r.shares.find((s) => s.recipient === this.identifier)!
      const complain = (reason: 'decrypt' | 'share'): Round3Result => {
        const c: Complaint = { version: 1, ceremonyId: this.c.id, identifier: this.identifier, accused: r1.identifier, reason, transcript: t, signature: new Uint8Array(64) }
        c.signature = sign(this.seed, complaintStatement(c))
        return { complaint: c }
      }
      let pt: Bytes
      try {
        const { key, aad } = shareCipher(this.e, r1.ceremonyKey, t, this.c.id, r1.identifier, this.identifier)
        pt = xchacha20poly1305(key, enc.nonce, aad).decrypt(enc.ciphertext)
      } catch {
        return complain('decrypt')
      }
      let s: bigint
      try {
        s = decodeScalar(pt)
      } catch {
        return complain('share')
      }
      if (!shareMatches(this.identifier, r1.commitment, s)) return complain('share')
      received.push({ identifier: r1.identifier, signingShare: pt })
    }
    const key = DKG.round3(this.dkg, others.map(nobleRound1), received)
    const res = computeResult(this.c, this.round1s)
    const mine = res.members.find((m) => m.identifier === this.identifier)!
    const groupKey = decodePoint(key.public.commitments[0], false)
    if (!groupKey.equals(res.groupKey) || toHex(key.public.verifyingShares[this.identifier]) !== mine.verifyingShare.hex) {
      fail('', 'mismatch', 'noble and the protocol disagree on the joint key')
    }
    const shareKey: ShareKey = {
      ceremonyId: this.c.id,
      identifier: this.identifier,
      signingShare: decodeScalar(key.secret.signingShare),
      verifyingShare: mine.verifyingShare,
      groupKey,
      signingSeed: this.seed,
      fingerprint: fingerprint80(t),
    }
    const conf: Confirmation = { version: 1, ceremonyId: this.c.id, identifier: this.identifier, groupKey, verifyingShare: mine.verifyingShare, transcript: t, signature: new Uint8Array(64) }
    conf.signature = sign(this.seed, confirmationStatement(conf))
    return { confirmation: conf, key: shareKey }
  }
}

export interface MemberKey {
  identifier: string
  verifyingShare: Elt
  signingKey: Bytes
}

export interface CeremonyResult {
  ceremony: Ceremony
  transcript: Bytes
  groupKey: Elt
  members: MemberKey[] // identifier order
}

/** Y = Σ C_{i,0} and Y_j = Σ_m x_j^m (Σ_i C_{i,m}), from verified round-1 messages in identifier order. */
export function computeResult(c: Ceremony, sorted: Round1[]): CeremonyResult {
  if (sorted.length !== c.members.length) fail('round1', 'length', `${sorted.length} round-1 messages for ${c.members.length} members`)
  const merged: RP[] = []
  for (let m = 0; m < c.threshold; m++) {
    let s = RistrettoPoint.ZERO
    for (const r of sorted) s = s.add(r.commitment[m].p)
    merged.push(s)
  }
  if (merged[0].is0()) fail('commitment', 'identity', 'the joint key is the identity')
  const mergedElts = merged.map((p) => Elt.of(p))
  return {
    ceremony: c,
    transcript: transcript(c, sorted),
    groupKey: mergedElts[0],
    members: sorted.map((r) => {
      const x = idScalar(r.identifier)
      const pows: bigint[] = []
      let p = 1n
      for (let i = 0; i < merged.length; i++) {
        pows.push(p)
        p = mod(p * x)
      }
      return { identifier: r.identifier, verifyingShare: Elt.of(msm(merged, pows)), signingKey: r.signingKey }
    }),
  }
}

export function memberOf(res: CeremonyResult, identifier: string): MemberKey {
  const m = res.members.find((x) => x.identifier === identifier)
  if (!m) fail('identifier', 'mismatch', 'not a member of this ceremony')
  return m
}

/** The server's check of a confirmation: signature, transcript, joint key and verifying share. */
export function checkConfirmation(res: CeremonyResult, r: Confirmation): void {
  if (r.ceremonyId !== res.ceremony.id) fail('ceremony_id', 'mismatch', 'another ceremony')
  const mk = memberOf(res, r.identifier)
  verifySig('signature', mk.signingKey, confirmationStatement(r), r.signature)
  if (!equalBytes(r.transcript, res.transcript)) fail('transcript', 'mismatch', 'another transcript: the member saw other round-1 messages')
  if (!r.groupKey.equals(res.groupKey)) fail('group_key', 'mismatch', 'another joint key')
  if (!r.verifyingShare.equals(mk.verifyingShare)) fail('verifying_share', 'mismatch', 'another verifying share')
}

export function checkComplaint(res: CeremonyResult, r: Complaint): void {
  if (r.ceremonyId !== res.ceremony.id) fail('ceremony_id', 'mismatch', 'another ceremony')
  const mk = memberOf(res, r.identifier)
  if (r.accused === r.identifier || !res.members.some((m) => m.identifier === r.accused)) fail('accused', 'mismatch', 'not another member of this ceremony')
  if (r.reason !== 'decrypt' && r.reason !== 'share') fail('reason', 'range', 'the reason is decrypt or share')
  if (!equalBytes(r.transcript, res.transcript)) fail('transcript', 'mismatch', 'another transcript')
  verifySig('signature', mk.signingKey, complaintStatement(r), r.signature)
}

// ---- wire forms ----

export const round1ToJSON = (r: Round1) => ({
  version: 1,
  ceremony_id: r.ceremonyId,
  identifier: r.identifier,
  commitment: r.commitment.map((x) => x.hex),
  proof_of_knowledge: toHex(r.proofOfKnowledge),
  ceremony_key: r.ceremonyKey.hex,
  signing_key: toHex(r.signingKey),
  signature: toHex(r.signature),
})

export function round1FromJSON(j: unknown): Round1 {
  const o = shape(j, ['version', 'ceremony_id', 'identifier', 'commitment', 'proof_of_knowledge', 'ceremony_key', 'signing_key', 'signature'])
  const pok = fromHex('proof_of_knowledge', o.proof_of_knowledge, 64)
  decodePoint(pok.subarray(0, 32), false, 'proof_of_knowledge')
  decodeScalar(pok.subarray(32), 'proof_of_knowledge')
  return {
    version: 1,
    ceremonyId: id('ceremony_id', o.ceremony_id),
    identifier: parseIdentifierHex('identifier', o.identifier),
    commitment: list('commitment', o.commitment, 2, 255).map((x, i) => pointHex(`commitment[${i}]`, x, false)),
    proofOfKnowledge: pok,
    ceremonyKey: pointHex('ceremony_key', o.ceremony_key, false),
    signingKey: keyHex('signing_key', o.signing_key),
    signature: fromHex('signature', o.signature, 64),
  }
}

export const round2ToJSON = (r: Round2) => ({
  version: 1,
  ceremony_id: r.ceremonyId,
  identifier: r.identifier,
  shares: r.shares.map((s) => ({ recipient: s.recipient, nonce: toHex(s.nonce), ciphertext: toHex(s.ciphertext) })),
  signature: toHex(r.signature),
})

export function round2FromJSON(j: unknown): Round2 {
  const o = shape(j, ['version', 'ceremony_id', 'identifier', 'shares', 'signature'])
  return {
    version: 1,
    ceremonyId: id('ceremony_id', o.ceremony_id),
    identifier: parseIdentifierHex('identifier', o.identifier),
    shares: list('shares', o.shares, 1, 254).map((sj, i) => {
      const n = `shares[${i}]`
      const s = within(n, () => shape(sj, ['recipient', 'nonce', 'ciphertext']))
      return { recipient: parseIdentifierHex(n + '.recipient', s.recipient), nonce: fromHex(n + '.nonce', s.nonce, 24), ciphertext: fromHex(n + '.ciphertext', s.ciphertext, 48) }
    }),
    signature: fromHex('signature', o.signature, 64),
  }
}

export const confirmationToJSON = (r: Confirmation) => ({
  version: 1,
  ceremony_id: r.ceremonyId,
  identifier: r.identifier,
  group_key: r.groupKey.hex,
  verifying_share: r.verifyingShare.hex,
  transcript: toHex(r.transcript),
  signature: toHex(r.signature),
})

export function confirmationFromJSON(j: unknown): Confirmation {
  const o = shape(j, ['version', 'ceremony_id', 'identifier', 'group_key', 'verifying_share', 'transcript', 'signature'])
  return {
    version: 1,
    ceremonyId: id('ceremony_id', o.ceremony_id),
    identifier: parseIdentifierHex('identifier', o.identifier),
    groupKey: pointHex('group_key', o.group_key, false),
    verifyingShare: pointHex('verifying_share', o.verifying_share, false),
    transcript: fromHex('transcript', o.transcript, 64),
    signature: fromHex('signature', o.signature, 64),
  }
}

export const complaintToJSON = (r: Complaint) => ({
  version: 1,
  ceremony_id: r.ceremonyId,
  identifier: r.identifier,
  accused: r.accused,
  reason: r.reason,
  transcript: toHex(r.transcript),
  signature: toHex(r.signature),
})

export function complaintFromJSON(j: unknown): Complaint {
  const o = shape(j, ['version', 'ceremony_id', 'identifier', 'accused', 'reason', 'transcript', 'signature'])
  if (o.reason !== 'decrypt' && o.reason !== 'share') fail('reason', 'range', 'the reason is decrypt or share')
  return {
    version: 1,
    ceremonyId: id('ceremony_id', o.ceremony_id),
    identifier: parseIdentifierHex('identifier', o.identifier),
    accused: parseIdentifierHex('accused', o.accused),
    reason: o.reason,
    transcript: fromHex('transcript', o.transcript, 64),
    signature: fromHex('signature', o.signature, 64),
  }
}

