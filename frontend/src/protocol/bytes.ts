// Byte strings, strict hexadecimal, the framed hash and the 80-bit fingerprints
// (docs/PROTOCOL.md §2.4, §3, §4).
import { sha512 } from '@noble/hashes/sha2.js'
import { fail } from './errors'

export type Bytes = Uint8Array

const HEX = '0123456789abcdef'

export function toHex(b: Bytes): string {
  let s = ''
  for (let i = 0; i < b.length; i++) s += HEX[b[i] >> 4] + HEX[b[i] & 15]
  return s
}

/** Decodes exactly n bytes of lowercase hexadecimal; anything else is refused, naming the field. */
export function fromHex(field: string, s: unknown, n: number): Bytes {
  if (typeof s !== 'string') fail(field, 'json', 'a hexadecimal string is expected')
  if (s.length !== 2 * n) fail(field, 'length', `expected ${2 * n} hexadecimal digits, got ${s.length}`)
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const hi = HEX.indexOf(s[2 * i])
    const lo = HEX.indexOf(s[2 * i + 1])
    if (hi < 0 || lo < 0) fail(field, 'hex', 'not lowercase hexadecimal')
    out[i] = (hi << 4) | lo
  }
  return out
}

export function concat(...parts: Bytes[]): Bytes {
  let n = 0
  for (const p of parts) n += p.length
  const out = new Uint8Array(n)
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

export const utf8 = (s: string): Bytes => new TextEncoder().encode(s)

export function u32(x: number): Bytes {
  const b = new Uint8Array(4)
  new DataView(b.buffer).setUint32(0, x)
  return b
}

/** 8-byte big-endian encoding of a non-negative integer (number or bigint). */
export function u64(x: number | bigint): Bytes {
  const b = new Uint8Array(8)
  new DataView(b.buffer).setBigUint64(0, BigInt(x))
  return b
}

export function equalBytes(a: Bytes, b: Bytes): boolean {
  if (a.length !== b.length) return false
  let d = 0
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i]
  return d === 0
}

/** frame(x) = u32(len(x)) || x, concatenated (HKDF info and AAD of §10.6). */
export function frame(...fields: Bytes[]): Bytes {
  const parts: Bytes[] = []
  for (const f of fields) parts.push(u32(f.length), f)
  return concat(...parts)
}

/** A streaming framed hash: H(tag, f1, ..., fn) = SHA-512(frame(tag) || frame(f1) || ...). */
export class Hasher {
  private h = sha512.create()
  constructor(tag: string) {
    this.bytes(utf8(tag))
  }
  bytes(b: Bytes): this {
    this.h.update(u32(b.length))
    this.h.update(b)
    return this
  }
  str(s: string): this {
    return this.bytes(utf8(s))
  }
  u64(x: number | bigint): this {
    return this.bytes(u64(x))
  }
  digest(): Bytes {
    return this.h.digest()
  }
}

/** The framed hash of docs/PROTOCOL.md §3.1 (64 bytes). */
export function hash(tag: string, ...fields: Bytes[]): Bytes {
  const h = new Hasher(tag)
  for (const f of fields) h.bytes(f)
  return h.digest()
}

/** Crockford's base32 alphabet (no I, L, O, U). */
export const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** The i-th group of 5 bits of b, most significant first. */
export function bits5(b: Bytes, i: number): number {
  let v = 0
  for (let j = 0; j < 5; j++) {
    const bit = i * 5 + j
    v = (v << 1) | ((b[bit >> 3] >> (7 - (bit & 7))) & 1)
  }
  return v
}

/** The first 80 bits of a hash as 16 base32 digits in 4 groups of 4 (§4). */
export function fingerprint80(h: Bytes): string {
  let s = ''
  for (let i = 0; i < 16; i++) {
    if (i > 0 && i % 4 === 0) s += '-'
    s += ALPHABET[bits5(h, i)]
  }
  return s
}

/** Reads a short code as typed: any case, spaces and dashes ignored, O as 0, I and L as 1. */
export function normalizeShort(s: string): string | null {
  let out = ''
  for (let ch of s.toUpperCase()) {
    if (ch === '-' || ch === ' ' || ch === '\t') continue
    if (ch === 'O') ch = '0'
    if (ch === 'I' || ch === 'L') ch = '1'
    if (!ALPHABET.includes(ch)) return null
    out += ch
  }
  return out
}

/** Whether a typed short code equals a fingerprint. */
export function sameFingerprint(typed: string, fp: string): boolean {
  const a = normalizeShort(typed)
  const b = normalizeShort(fp)
  return a !== null && b !== null && a === b
}

/** Random byte source: the platform CSPRNG by default; tests pass a seeded one. */
export type RNG = (n: number) => Bytes

export const systemRNG: RNG = (n) => crypto.getRandomValues(new Uint8Array(n))

/** The deterministic stream of the test vectors (never in production, §15). */
export function testRNG(seed: string): RNG {
  let counter = 0n
  let buf: Bytes = new Uint8Array(0)
  return (n: number) => {
    const out = new Uint8Array(n)
    let o = 0
    while (o < n) {
      if (buf.length === 0) buf = hash('tinnhiem/v1/test-rng', utf8(seed), u64(counter++))
      const c = Math.min(buf.length, n - o)
      out.set(buf.subarray(0, c), o)
      buf = buf.subarray(c)
      o += c
    }
    return out
  }
}
