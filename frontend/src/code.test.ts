import { describe, expect, it } from 'vitest'
import { ALPHABET, formatCode, parseCode } from './code'

// Codes made by the Go server (internal/ballot): the kiosk must accept exactly what the server makes.
const fromServer = [
'1W8T-WD4C-V724-4DN6-SX71-JWJ7-HMH',
'62HV-QDYF-ZK9Q-B5T6-AAR5-096X-2N6',
'406D-5P1W-KX6R-1FR9-VA5R-WSRZ-37K',
'43PD-SYP6-ZVNP-HSGY-05RF-DKXY-CKB',
'19XX-GG03-6WPD-AR5Y-9FXG-JWNW-2HP',
]

describe('ballot codes', () => {
  it('accepts codes the server makes, typed any way', () => {
    for (const c of fromServer) {
      const plain = c.replace(/-/g, '')
      expect(parseCode(c)).toEqual({ ok: true, code: plain })
      expect(parseCode(c.toLowerCase().replace(/-/g, ' '))).toEqual({ ok: true, code: plain })
      expect(formatCode(plain)).toBe(c)
    }
  })
  it('catches every single mistyped character and every swap', () => {
    for (const c of fromServer) {
      const plain = c.replace(/-/g, '')
      for (let i = 0; i < plain.length; i++) {
        for (const r of ALPHABET) {
          if (r === plain[i]) continue
          const bad = plain.slice(0, i) + r + plain.slice(i + 1)
          expect(parseCode(bad).ok).toBe(false)
        }
        for (let j = i + 1; j < plain.length; j++) {
          if (plain[i] === plain[j]) continue
          const b = plain.split('')
          ;[b[i], b[j]] = [b[j], b[i]]
          expect(parseCode(b.join('')).ok).toBe(false)
        }
      }
    }
  })
  it('says what is wrong', () => {
    expect(parseCode('')).toEqual({ ok: false, reason: 'empty' })
    expect(parseCode('ABCD')).toEqual({ ok: false, reason: 'short' })
    expect(parseCode('U'.repeat(27))).toEqual({ ok: false, reason: 'alphabet' })
    expect(parseCode(fromServer[0] + 'A')).toEqual({ ok: false, reason: 'long' })
  })
})
