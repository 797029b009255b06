import { describe, expect, it } from 'vitest'
import { modesBody, modesOf, modeText } from './modes'
import { setLang } from '../../i18n'

describe('the vote\'s modes', () => {
  it('are read with the defaults: electronic, encrypted, no seat tablets', () => {
    expect(modesOf({})).toEqual({ casting_mode: 'electronic', ballot_mode: 'encrypted', seat_tablets: false })
    expect(modesOf({ casting_mode: 'hybrid', ballot_mode: 'encrypted', seat_tablets: true })).toEqual({ casting_mode: 'hybrid', ballot_mode: 'encrypted', seat_tablets: true })
    expect(modesOf({ casting_mode: 'hybrid', ballot_mode: 'plain' })).toEqual({ casting_mode: 'hybrid', ballot_mode: 'plain', seat_tablets: false })
  })
  it('are always sent explicitly; a paper vote is plain, without seat tablets', () => {
    expect(modesBody({ casting_mode: 'paper', ballot_mode: 'encrypted', seat_tablets: true })).toEqual({ casting_mode: 'paper', ballot_mode: 'plain', seat_tablets: false })
    expect(modesBody({ casting_mode: 'hybrid', ballot_mode: 'encrypted', seat_tablets: true })).toEqual({ casting_mode: 'hybrid', ballot_mode: 'encrypted', seat_tablets: true })
  })
  it('never carry seat tablets with plain ballots, which the server refuses (plain_with_seat_tablets)', () => {
    expect(modesBody({ casting_mode: 'hybrid', ballot_mode: 'plain', seat_tablets: true })).toEqual({ casting_mode: 'hybrid', ballot_mode: 'plain', seat_tablets: false })
    expect(modesBody({ casting_mode: 'electronic', ballot_mode: 'plain', seat_tablets: true })).toEqual({ casting_mode: 'electronic', ballot_mode: 'plain', seat_tablets: false })
  })
  it('read in one line', () => {
    setLang('vi')
    expect(modeText({ casting_mode: 'hybrid', ballot_mode: 'plain' })).toBe('Kết hợp giấy và điện tử · phiếu điện tử không mã hóa')
    expect(modeText({ casting_mode: 'paper', ballot_mode: 'plain' })).toBe('Giấy')
    expect(modeText({ casting_mode: 'electronic', ballot_mode: 'encrypted', seat_tablets: true })).toBe('Điện tử · phiếu điện tử mã hóa · máy tính bảng tại chỗ ngồi')
  })
})
