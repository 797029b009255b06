// Ballot codes as the server makes them: 27 characters of Crockford's base32 (no I, L, O, U), the
// last a check character over GF(32). The kiosk checks a typed code at once, as the server does.

export const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
export const CODE_LEN = 27

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

export function checkChar(data: string): string {
  let sum = 0
  let w = 1
  for (let i = data.length - 1; i >= 0; i--) {
    w = gfMul(w, 2)
    sum ^= gfMul(w, ALPHABET.indexOf(data[i]))
  }
  return ALPHABET[sum]
}

export type CodeCheck =
  | { ok: true; code: string }
  | { ok: false; reason: 'empty' | 'short' | 'long' | 'alphabet' | 'check' }

/** Reads a code as typed or scanned: any case, dashes and spaces ignored, O as 0, I and L as 1. */
export function parseCode(input: string): CodeCheck {
  let c = ''
  for (let ch of input.toUpperCase()) {
    if (ch === '-' || ch === ' ' || ch === '\t') continue
    if (ch === 'O') ch = '0'
    if (ch === 'I' || ch === 'L') ch = '1'
    if (!ALPHABET.includes(ch)) return { ok: false, reason: 'alphabet' }
    c += ch
  }
  if (c.length === 0) return { ok: false, reason: 'empty' }
  if (c.length < CODE_LEN) return { ok: false, reason: 'short' }
  if (c.length > CODE_LEN) return { ok: false, reason: 'long' }
  if (c[0] > '7' || checkChar(c.slice(0, CODE_LEN - 1)) !== c[CODE_LEN - 1]) return { ok: false, reason: 'check' }
  return { ok: true, code: c }
}

/** The size of the groups the slip prints the code in (internal/document/slips.go: fours). */
export const GROUP = 4

/** The code's groups as the slip prints them, for comparing group by group. */
export function codeGroups(code: string): string[] {
  const plain = code.replace(/[-\s]/g, '').toUpperCase()
  return plain.match(new RegExp(`.{1,${GROUP}}`, 'g')) ?? []
}

/** Groups a code as the slip prints it: "ABCD-EFGH-…-XYZ". */
export function formatCode(code: string): string {
  return codeGroups(code).join('-')
}
