// Ed25519 keys and signatures, accepted exactly as Go's crypto/ed25519 accepts them
// (docs/PROTOCOL.md §2.3): canonical prime-order public keys, and RFC 8032 verification without the
// cofactor, R compared byte for byte.
import { ed25519 } from '@noble/curves/ed25519.js'
import { sha512 } from '@noble/hashes/sha2.js'
import { bytesToNumberLE } from '@noble/curves/utils.js'
import { type Bytes, concat, equalBytes, fromHex } from './bytes'
import { fail } from './errors'

const EdPoint = ed25519.Point
const ORDER = EdPoint.Fn.ORDER

/** Refuses a public key that is not canonical, is the identity, or is outside the prime-order subgroup. */
export function checkPublicKey(pub: Bytes, field = ''): void {
  if (pub.length !== 32) fail(field, 'length', `an Ed25519 key has 32 bytes, not ${pub.length}`)
  let p
  try {
    p = EdPoint.fromBytes(pub, false)
  } catch {
    fail(field, 'key', 'not a canonical Ed25519 public key')
  }
  if (!equalBytes(p.toBytes(), pub)) fail(field, 'key', 'not a canonical Ed25519 public key')
  if (p.is0()) fail(field, 'key', 'the identity is not a public key')
  if (!p.isTorsionFree()) fail(field, 'key', 'the key is not in the prime-order subgroup')
}

export function keyHex(field: string, s: unknown): Bytes {
  const k = fromHex(field, s, 32)
  checkPublicKey(k, field)
  return k
}

/** The Ed25519 public key of a 32-byte seed. */
export const publicKeyOf = (seed: Bytes): Bytes => ed25519.getPublicKey(seed)

/** Signs a 64-byte statement hash (RFC 8032, deterministic: the same bytes as Go). */
export const sign = (seed: Bytes, h: Bytes): Bytes => ed25519.sign(h, seed)

/** Verifies as Go's ed25519.Verify: S < l and encode(S·B − k·A) == R. */
export function verify(pub: Bytes, h: Bytes, sig: Bytes): boolean {
  if (pub.length !== 32 || sig.length !== 64) return false
  let A
  try {
    A = EdPoint.fromBytes(pub, false)
  } catch {
    return false
  }
  const S = bytesToNumberLE(sig.subarray(32))
  if (S >= ORDER) return false
  const k = bytesToNumberLE(sha512(concat(sig.subarray(0, 32), pub, h))) % ORDER
  const R = EdPoint.BASE.multiplyUnsafe(S).subtract(A.multiplyUnsafe(k))
  return equalBytes(R.toBytes(), sig.subarray(0, 32))
}

export function verifySig(field: string, pub: Bytes, h: Bytes, sig: Bytes): void {
  if (!verify(pub, h, sig)) fail(field, 'signature', 'the signature does not verify')
}
