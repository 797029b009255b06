// DKG identifiers (docs/PROTOCOL.md §10.2) and Lagrange coefficients (§11.3).
import { ristretto255_FROST } from '@noble/curves/ed25519.js'
import { bytesToNumberLE } from '@noble/curves/utils.js'
import { fromHex } from './bytes'
import { fail } from './errors'
import { L, decodeScalar, mod } from './group'

/** noble's Identifier.derive(userId): the identifier as 64 lowercase hex digits. */
export const deriveIdentifier = (userId: string): string => ristretto255_FROST.Identifier.derive(userId)

/** The identifier's scalar value. */
export const idScalar = (id: string): bigint => bytesToNumberLE(fromHex('identifier', id, 32))

/** Identifier order: numeric order of the scalars. */
export const compareIds = (a: string, b: string): number => {
  const x = idScalar(a)
  const y = idScalar(b)
  return x < y ? -1 : x > y ? 1 : 0
}

/** Decodes an identifier: canonical, non-zero. */
export function parseIdentifierHex(field: string, s: unknown): string {
  const b = fromHex(field, s, 32)
  const x = decodeScalar(b, field)
  if (x === 0n) fail(field, 'range', 'an identifier is not zero')
  return s as string
}

function inv(x: bigint): bigint {
  // Fermat: x^(l-2)
  let r = 1n
  let b = mod(x)
  let e = L - 2n
  while (e > 0n) {
    if (e & 1n) r = (r * b) % L
    b = (b * b) % L
    e >>= 1n
  }
  return r
}

/** λ_j = Π_{m≠j} x_m / (x_m − x_j) for each identifier, in the given order. */
export function lagrange(ids: string[]): bigint[] {
  const xs = ids.map((id, i) => {
    if (ids.indexOf(id) !== i) fail(`identifiers[${i}]`, 'duplicate', 'an identifier appears twice')
    const x = idScalar(id)
    if (x === 0n) fail(`identifiers[${i}]`, 'range', 'an identifier is not zero')
    return x
  })
  return xs.map((xj, j) => {
    let num = 1n
    let den = 1n
    xs.forEach((xm, m) => {
      if (m === j) return
      num = (num * xm) % L
      den = (den * mod(xm - xj)) % L
    })
    return (num * inv(den)) % L
  })
}
