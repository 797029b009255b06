// Credential codes and credentials (docs/PROTOCOL.md §7): 100 random bits as 20 base32 digits and a
// check digit over GF(32), printed in 7 groups of 3; the code derives an Ed25519 key pair.
import { ALPHABET, type Bytes, type RNG, bits5, fromHex, hash, normalizeShort, systemRNG, toHex, u64, utf8 } from './bytes'
import { checkPublicKey, publicKeyOf, sign, verifySig, keyHex } from './ed'
import { fail } from './errors'
import { parseIdentifierHex } from './identifier'
import { id, list, shape } from './json'

export const CODE_LEN = 21
export const CODE_QR_PREFIX = 'TN1:'

function gfMul(a: number, b: number): number {
  let p = 0
  while (b > 0) {
    if (b & 1) p ^= a
    b >>= 1
    a <<= 1
    if (a & 0x20) a ^= 0x25
  }
  return p & 31
}

/** Σ α^(20−i)·d_i over GF(32), α = x: catches every single typo and every swap of two characters. */
export function checkDigit(data: string): string {
  let sum = 0
  let w = 1
  for (let i = data.length - 1; i >= 0; i--) {
    w = gfMul(w, 2)
    sum ^= gfMul(w, ALPHABET.indexOf(data[i]))
  }
  return ALPHABET[sum]
}

/** A fresh normalised code (21 characters) from 100 random bits. */
export function newCode(rng: RNG = systemRNG): string {
  const b = rng(13)
  let d = ''
  for (let i = 0; i < 20; i++) d += ALPHABET[bits5(b, i)]
  return d + checkDigit(d)
}

/** Reads a typed or scanned code; returns the normalised code or throws a ProtocolError. */
export function parseCode(s: string): string {
  const c = normalizeShort(s)
  if (c === null) fail('code', 'hex', "a character is not in the code's alphabet")
  if (c.length !== CODE_LEN) fail('code', 'length', `a code has ${CODE_LEN} characters, not ${c.length}`)
  if (checkDigit(c.slice(0, 20)) !== c[20]) fail('code', 'mismatch', 'the check character does not match (a character was mistyped)')
  return c
}

/** Groups a normalised code in threes: "ABC-DEF-GHJ-KMN-PQR-STV-WX3". */
export function formatCode(code: string): string {
  return code.match(/.{1,3}/g)?.join('-') ?? ''
}

export const codeQR = (code: string): string => CODE_QR_PREFIX + code

export function parseCodeQR(payload: string): string {
  if (!payload.startsWith(CODE_QR_PREFIX)) fail('qr', 'mismatch', 'not a Tín Nhiệm credential QR code')
  return parseCode(payload.slice(CODE_QR_PREFIX.length))
}

export interface CredentialKey {
  seed: Bytes // the Ed25519 seed (the private key)
  publicKey: Bytes // the public credential
}

/** seed = first 32 bytes of H("tinnhiem/v1/credential", code); Ed25519 from that seed. */
export function credential(code: string): CredentialKey {
  const c = parseCode(code)
  const seed = hash('tinnhiem/v1/credential', utf8(c)).slice(0, 32)
  return { seed, publicKey: publicKeyOf(seed) }
}

/** The board's signed list of public credentials (§7.5). */
export interface CredentialList {
  voteId: string
  credentials: Bytes[] // sorted, unique
  identifier: string // the signing member (hex)
  signature: Bytes
}

const cmp = (a: Bytes, b: Bytes): number => {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i]
  return a.length - b.length
}

export function credentialListHash(voteId: string, creds: Bytes[]): Bytes {
  return hash('tinnhiem/v1/credential-list', utf8(voteId), u64(creds.length), ...creds)
}

export function newCredentialList(voteId: string, creds: Bytes[], identifier: string, signingSeed: Bytes): CredentialList {
  const sorted = [...creds].sort(cmp)
  return { voteId, credentials: sorted, identifier, signature: sign(signingSeed, credentialListHash(voteId, sorted)) }
}

export function verifyCredentialList(l: CredentialList, signingKey: Bytes): void {
  for (let i = 1; i < l.credentials.length; i++) {
    const c = cmp(l.credentials[i - 1], l.credentials[i])
    if (c === 0) fail(`credentials[${i}]`, 'duplicate', 'a credential appears twice')
    if (c > 0) fail(`credentials[${i}]`, 'range', 'the credentials are not sorted')
  }
  l.credentials.forEach((c, i) => checkPublicKey(c, `credentials[${i}]`))
  verifySig('signature', signingKey, credentialListHash(l.voteId, l.credentials), l.signature)
}

export const credentialListToJSON = (l: CredentialList) => ({
  version: 1,
  vote_id: l.voteId,
  credentials: l.credentials.map(toHex),
  identifier: l.identifier,
  signature: toHex(l.signature),
})

export function credentialListFromJSON(j: unknown): CredentialList {
  const o = shape(j, ['version', 'vote_id', 'credentials', 'identifier', 'signature'])
  return {
    voteId: id('vote_id', o.vote_id),
    credentials: list('credentials', o.credentials, 1, 1 << 20).map((c, i) => keyHex(`credentials[${i}]`, c)),
    identifier: parseIdentifierHex('identifier', o.identifier),
    signature: fromHex('signature', o.signature, 64),
  }
}
