// The share file (docs/PROTOCOL.md §10.9), the "I reopened my file" proof (§10.10) and the
// share-destruction confirmation (§12.2).
import { argon2id, argon2idAsync } from '@noble/hashes/argon2.js'
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js'
import { type Bytes, type RNG, Hasher, concat, fromHex, hash, systemRNG, toHex, utf8 } from './bytes'
import { publicKeyOf, sign, verifySig } from './ed'
import { fail, within } from './errors'
import { Elt, RistrettoPoint, decodePoint, decodeScalar, hashToScalarBytes, mod, mulPublic, pointHex, randomScalar, sc, scalarHex, scalarToHex } from './group'
import { type CeremonyResult, type ShareKey, memberOf } from './ceremony'
import { parseIdentifierHex } from './identifier'
import { id, int, shape, str } from './json'

export interface KDFParams {
  m: number // KiB
  t: number
  p: number
}

/** About 0.85 s with noble's argon2id in V8 on the project machine: 64 MiB, 2 passes, 1 lane. */
export const DEFAULT_KDF: KDFParams = { m: 65536, t: 2, p: 1 }

function checkKDF(k: KDFParams): void {
  int('kdf.m', k.m, 8192, 1048576)
  int('kdf.t', k.t, 1, 16)
  int('kdf.p', k.p, 1, 1)
}

export interface ShareFile {
  ceremonyId: string
  identifier: string
  fingerprint: string
  kdf: KDFParams
  salt: Bytes // 16
  nonce: Bytes // 24
  ciphertext: Bytes // 176
}

function shareFileAAD(f: ShareFile): Bytes {
  return new Hasher('tinnhiem/v1/share-file')
    .u64(1)
    .str(f.ceremonyId)
    .bytes(fromHex('identifier', f.identifier, 32))
    .str(f.fingerprint)
    .u64(f.kdf.m)
    .u64(f.kdf.t)
    .u64(f.kdf.p)
    .bytes(f.salt)
    .digest()
}

const password = (passphrase: string): Bytes => utf8(passphrase.normalize('NFC'))

function plaintext(k: ShareKey): Bytes {
  return concat(sc(k.signingShare), k.verifyingShare.b, k.groupKey.b, fromHex('identifier', k.identifier, 32), k.signingSeed)
}

function header(k: ShareKey, kdf: KDFParams, rng: RNG): ShareFile {
  checkKDF(kdf)
  const salt = rng(16)
  const nonce = rng(24)
  return { ceremonyId: k.ceremonyId, identifier: k.identifier, fingerprint: k.fingerprint, kdf: { ...kdf }, salt, nonce, ciphertext: new Uint8Array(0) }
}

/** Wraps a share key under a passphrase (NFC-normalised). Draws the 16-byte salt, then the 24-byte nonce. */
export function sealShareFile(k: ShareKey, passphrase: string, kdf: KDFParams = DEFAULT_KDF, rng: RNG = systemRNG): ShareFile {
  const f = header(k, kdf, rng)
  const key = argon2id(password(passphrase), f.salt, { ...f.kdf, dkLen: 32 })
  f.ciphertext = xchacha20poly1305(key, f.nonce, shareFileAAD(f)).encrypt(plaintext(k))
  return f
}

/** The same, without blocking the page (progress from 0 to 1). */
export async function sealShareFileAsync(k: ShareKey, passphrase: string, kdf: KDFParams = DEFAULT_KDF, rng: RNG = systemRNG, onProgress?: (p: number) => void): Promise<ShareFile> {
  const f = header(k, kdf, rng)
  const key = await argon2idAsync(password(passphrase), f.salt, { ...f.kdf, dkLen: 32, onProgress })
  f.ciphertext = xchacha20poly1305(key, f.nonce, shareFileAAD(f)).encrypt(plaintext(k))
  return f
}

function unwrap(f: ShareFile, key: Bytes): ShareKey {
  let pt: Bytes
  try {
    pt = xchacha20poly1305(key, f.nonce, shareFileAAD(f)).decrypt(f.ciphertext)
  } catch {
    fail('ciphertext', 'decrypt', 'wrong passphrase, or the file was changed')
  }
  const s = decodeScalar(pt.subarray(0, 32), 'ciphertext')
  const verifyingShare = decodePoint(pt.subarray(32, 64), false, 'ciphertext')
  const groupKey = decodePoint(pt.subarray(64, 96), false, 'ciphertext')
  if (toHex(pt.subarray(96, 128)) !== f.identifier) fail('identifier', 'mismatch', 'the identifier inside the file differs')
  if (!RistrettoPoint.BASE.multiplyUnsafe(s).equals(verifyingShare.p)) fail('ciphertext', 'mismatch', 'the share does not match its verifying share')
  return { ceremonyId: f.ceremonyId, identifier: f.identifier, signingShare: s, verifyingShare, groupKey, signingSeed: pt.slice(128, 160), fingerprint: f.fingerprint }
}

/** Opens a share file; a wrong passphrase or any change to the file is a 'decrypt' error. */
export function openShareFile(f: ShareFile, passphrase: string): ShareKey {
  checkKDF(f.kdf)
  return unwrap(f, argon2id(password(passphrase), f.salt, { ...f.kdf, dkLen: 32 }))
}

export async function openShareFileAsync(f: ShareFile, passphrase: string, onProgress?: (p: number) => void): Promise<ShareKey> {
  checkKDF(f.kdf)
  return unwrap(f, await argon2idAsync(password(passphrase), f.salt, { ...f.kdf, dkLen: 32, onProgress }))
}

export const shareFileToJSON = (f: ShareFile) => ({
  format: 'tinnhiem-share',
  version: 1,
  ceremony_id: f.ceremonyId,
  identifier: f.identifier,
  fingerprint: f.fingerprint,
  kdf: { name: 'argon2id', m: f.kdf.m, t: f.kdf.t, p: f.kdf.p, salt: toHex(f.salt) },
  nonce: toHex(f.nonce),
  ciphertext: toHex(f.ciphertext),
})

export function shareFileFromJSON(j: unknown): ShareFile {
  const o = shape(j, ['format', 'version', 'ceremony_id', 'identifier', 'fingerprint', 'kdf', 'nonce', 'ciphertext'])
  if (o.format !== 'tinnhiem-share') fail('format', 'mismatch', 'not a Tín Nhiệm share file')
  const k = within('kdf', () => shape(o.kdf, ['name', 'm', 't', 'p', 'salt']))
  if (k.name !== 'argon2id') fail('kdf.name', 'mismatch', 'the key derivation is argon2id')
  const kdf = { m: int('kdf.m', k.m, 8192, 1048576), t: int('kdf.t', k.t, 1, 16), p: int('kdf.p', k.p, 1, 1) }
  const fp = str('fingerprint', o.fingerprint)
  if (fp.length !== 19) fail('fingerprint', 'length', 'a fingerprint has 19 characters')
  return {
    ceremonyId: id('ceremony_id', o.ceremony_id),
    identifier: parseIdentifierHex('identifier', o.identifier),
    fingerprint: fp,
    kdf,
    salt: fromHex('kdf.salt', k.salt, 16),
    nonce: fromHex('nonce', o.nonce, 24),
    ciphertext: fromHex('ciphertext', o.ciphertext, 176),
  }
}

// ---- reopen (§10.10) ----

export interface Reopen {
  version: 1
  ceremonyId: string
  identifier: string
  u: Elt
  z: bigint
  signature: Bytes
}

const reopenChallenge = (cid: string, identifier: string, yj: Elt, u: Elt): bigint =>
  hashToScalarBytes(new Hasher('tinnhiem/v1/reopen-proof').str(cid).bytes(fromHex('identifier', identifier, 32)).bytes(yj.b).bytes(u.b).digest())

const reopenStatement = (r: Reopen): Bytes =>
  new Hasher('tinnhiem/v1/reopen').str(r.ceremonyId).bytes(fromHex('identifier', r.identifier, 32)).bytes(r.u.b).bytes(sc(r.z)).digest()

/** Proves, from a reopened file, that the member holds its share (draws w: 48 bytes). */
export function newReopen(k: ShareKey, rng: RNG = systemRNG): Reopen {
  const w = randomScalar(rng)
  const u = Elt.of(RistrettoPoint.BASE.multiply(w))
  const c = reopenChallenge(k.ceremonyId, k.identifier, k.verifyingShare, u)
  const r: Reopen = { version: 1, ceremonyId: k.ceremonyId, identifier: k.identifier, u, z: mod(w + c * k.signingShare), signature: new Uint8Array(64) }
  r.signature = sign(k.signingSeed, reopenStatement(r))
  return r
}

export function checkReopen(res: CeremonyResult, r: Reopen): void {
  if (r.ceremonyId !== res.ceremony.id) fail('ceremony_id', 'mismatch', 'another ceremony')
  const mk = memberOf(res, r.identifier)
  verifySig('signature', mk.signingKey, reopenStatement(r), r.signature)
  const c = reopenChallenge(r.ceremonyId, r.identifier, mk.verifyingShare, r.u)
  const got = mulPublic(RistrettoPoint.BASE, r.z).subtract(mulPublic(mk.verifyingShare.p, c))
  if (!got.equals(r.u.p)) fail('z', 'proof', 'the proof of knowledge of the share does not verify')
}

export const reopenToJSON = (r: Reopen) => ({
  version: 1,
  ceremony_id: r.ceremonyId,
  identifier: r.identifier,
  u: r.u.hex,
  z: scalarToHex(r.z),
  signature: toHex(r.signature),
})

export function reopenFromJSON(j: unknown): Reopen {
  const o = shape(j, ['version', 'ceremony_id', 'identifier', 'u', 'z', 'signature'])
  return {
    version: 1,
    ceremonyId: id('ceremony_id', o.ceremony_id),
    identifier: parseIdentifierHex('identifier', o.identifier),
    u: pointHex('u', o.u, false),
    z: scalarHex('z', o.z),
    signature: fromHex('signature', o.signature, 64),
  }
}

// ---- destruction (§12.2) ----

export interface Destruction {
  version: 1
  ceremonyId: string
  identifier: string
  signature: Bytes
}

const destructionStatement = (d: Destruction): Bytes => hash('tinnhiem/v1/destruction', utf8(d.ceremonyId), fromHex('identifier', d.identifier, 32))

export function newDestruction(k: ShareKey): Destruction {
  const d: Destruction = { version: 1, ceremonyId: k.ceremonyId, identifier: k.identifier, signature: new Uint8Array(64) }
  d.signature = sign(k.signingSeed, destructionStatement(d))
  return d
}

export const verifyDestruction = (d: Destruction, signingKey: Bytes): void => verifySig('signature', signingKey, destructionStatement(d), d.signature)

export const destructionToJSON = (d: Destruction) => ({ version: 1, ceremony_id: d.ceremonyId, identifier: d.identifier, signature: toHex(d.signature) })

export function destructionFromJSON(j: unknown): Destruction {
  const o = shape(j, ['version', 'ceremony_id', 'identifier', 'signature'])
  return { version: 1, ceremonyId: id('ceremony_id', o.ceremony_id), identifier: parseIdentifierHex('identifier', o.identifier), signature: fromHex('signature', o.signature, 64) }
}

/** The member's Ed25519 public key. */
export const signingKeyOf = (k: ShareKey): Bytes => publicKeyOf(k.signingSeed)

