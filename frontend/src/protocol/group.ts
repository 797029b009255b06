// ristretto255 points and scalars with their canonical encodings (docs/PROTOCOL.md §2, §3, §5).
import { ristretto255 } from '@noble/curves/ed25519.js'
import { pippenger } from '@noble/curves/abstract/curve.js'
import { bytesToNumberLE, numberToBytesLE } from '@noble/curves/utils.js'
import { type Bytes, Hasher, fromHex, toHex } from './bytes'
import { fail, within } from './errors'

export const RistrettoPoint = ristretto255.Point
export type RP = InstanceType<typeof RistrettoPoint>
export const Fn = RistrettoPoint.Fn
/** The group order l. */
export const L: bigint = Fn.ORDER

export const mod = (x: bigint): bigint => {
  const r = x % L
  return r < 0n ? r + L : r
}

/** A decoded point together with its canonical encoding (hashing never re-encodes). */
export class Elt {
  constructor(
    readonly p: RP,
    readonly b: Bytes,
  ) {}
  static of(p: RP): Elt {
    return new Elt(p, p.toBytes())
  }
  get hex(): string {
    return toHex(this.b)
  }
  isIdentity(): boolean {
    return this.b.every((x) => x === 0)
  }
  equals(o: Elt): boolean {
    return toHex(this.b) === toHex(o.b)
  }
}

export const G = Elt.of(RistrettoPoint.BASE)

/** Decodes a canonical point (RFC 9496); the identity is refused unless allowIdentity (§2.1). */
export function decodePoint(b: Bytes, allowIdentity: boolean, field = ''): Elt {
  if (b.length !== 32) fail(field, 'length', `a point has 32 bytes, not ${b.length}`)
  let p: RP
  try {
    p = RistrettoPoint.fromBytes(b)
  } catch {
    fail(field, 'point', 'not a canonical point')
  }
  const e = new Elt(p, Uint8Array.from(b))
  if (!allowIdentity && e.isIdentity()) fail(field, 'identity', 'the identity element is not allowed here')
  return e
}

export function pointHex(field: string, s: unknown, allowIdentity: boolean): Elt {
  return decodePoint(fromHex(field, s, 32), allowIdentity, field)
}

/** The 32-byte little-endian encoding of a scalar. */
export const sc = (x: bigint): Bytes => numberToBytesLE(mod(x), 32)

/** Decodes a canonical scalar (< l); it never reduces. */
export function decodeScalar(b: Bytes, field = ''): bigint {
  if (b.length !== 32) fail(field, 'length', `a scalar has 32 bytes, not ${b.length}`)
  const x = bytesToNumberLE(b)
  if (x >= L) fail(field, 'scalar', 'not a canonical scalar')
  return x
}

export function scalarHex(field: string, s: unknown): bigint {
  return decodeScalar(fromHex(field, s, 32), field)
}

export const scalarToHex = (x: bigint): string => toHex(sc(x))

/** Hash to scalar: the 64 bytes read little-endian, mod l. */
export const hashToScalarBytes = (h: Bytes): bigint => mod(bytesToNumberLE(h))

export function hs(tag: string, ...fields: Bytes[]): bigint {
  const h = new Hasher(tag)
  for (const f of fields) h.bytes(f)
  return hashToScalarBytes(h.digest())
}

/** A non-zero scalar from 48 random bytes: (int_le(b) mod (l-1)) + 1, noble's mapHashToField (§5). */
export function randomScalar(rng: (n: number) => Bytes): bigint {
  const b = rng(48)
  return (bytesToNumberLE(b) % (L - 1n)) + 1n
}

/** x·P that accepts x = 0 (noble's multiply refuses zero). */
export function mul(p: RP, x: bigint): RP {
  x = mod(x)
  return x === 0n ? RistrettoPoint.ZERO : p.multiply(x)
}

/** Variable-time x·P for public values. */
export function mulPublic(p: RP, x: bigint): RP {
  return p.multiplyUnsafe(mod(x))
}

/** Variable-time multi-scalar multiplication (public inputs only). */
export function msm(points: RP[], scalars: bigint[]): RP {
  return pippenger(RistrettoPoint, points, scalars.map(mod))
}

export { within }
