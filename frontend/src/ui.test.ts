import { describe, expect, it } from 'vitest'
import { maskDate, parseDate } from './ui/date'
import { fingerprint } from './ui/labels'
import { turnoutPercent } from './screens/projector'
import { normalReceipt } from './screens/public'
import { auditSentence } from './screens/secretariat/audit'
import { codeGroups, formatCode } from './code'
import { may, mayCreate } from './rules'
import type { AuditEvent, RoleTable, User, Vote } from './api'
import { setLang } from './i18n'

describe('dates typed day/month/year', () => {
  it('puts the slashes in as digits come', () => {
    expect(maskDate('05')).toBe('05')
    expect(maskDate('0512')).toBe('05/12')
    expect(maskDate('05122028')).toBe('05/12/2028')
    expect(maskDate('05/12/20289')).toBe('05/12/2028')
  })
  it('reads only real days', () => {
    expect(parseDate('05/12/2028')).toBe('2028-12-05')
    expect(parseDate('5/2/2028')).toBe('2028-02-05')
    expect(parseDate('29/02/2028')).toBe('2028-02-29')
    expect(parseDate('29/02/2027')).toBeNull()
    expect(parseDate('31/04/2028')).toBeNull()
    expect(parseDate('12/2028')).toBeNull()
  })
})

describe('figures as people read them', () => {
  it('rounds the turnout half-up in integers', () => {
    expect(turnoutPercent(31, 50)).toBe(62)
    expect(turnoutPercent(1, 8)).toBe(13) // 12.5 → 13
    expect(turnoutPercent(1, 3)).toBe(33)
    expect(turnoutPercent(2, 3)).toBe(67)
    expect(turnoutPercent(0, 0)).toBe(0)
    expect(turnoutPercent(50, 50)).toBe(100)
  })
  it('shows a hash as a short fingerprint', () => {
    expect(fingerprint('3f2a9c1b04de' + '0'.repeat(52))).toBe('3F2A-9C1B-04DE')
    expect(fingerprint('')).toBe('')
  })
  it('reads a receipt however it is typed', () => {
    expect(normalReceipt(' ab1o lx2z ')).toBe('AB10-1X2Z')
    expect(normalReceipt('AB10-1X2Z')).toBe('AB10-1X2Z')
  })
  it('groups the code as the slip prints it', () => {
    expect(codeGroups('1w8twd4cv7244dn6sx71jwj7hmh')).toEqual(['1W8T', 'WD4C', 'V724', '4DN6', 'SX71', 'JWJ7', 'HMH'])
    expect(formatCode('1W8T-WD4C V724')).toBe('1W8T-WD4C-V724')
  })
})

describe('the role table decides what is shown', () => {
  const table: RoleTable = { rules: [
    { action: 'create', statuses: [], who: ['secretariat'] },
    { action: 'open', statuses: ['draft'], who: ['board_head'] },
    { action: 'issue', statuses: ['open'], who: ['board'] },
    { action: 'cancel', statuses: ['open'], who: ['secretariat', 'board_head'] },
  ] }
  const user = (id: string, role: User['role']) => ({ id, role, username: id, full_name: id, active: true, created_at: '' }) as User
  const vote = (status: Vote['status']) => ({ status, board: [{ user_id: 'h', board_role: 'head' }, { user_id: 'm', board_role: 'member' }] }) as unknown as Vote
  it('follows the status and the person', () => {
    expect(may(table, 'open', vote('draft'), user('h', 'board'))).toBe(true)
    expect(may(table, 'open', vote('draft'), user('m', 'board'))).toBe(false)
    expect(may(table, 'open', vote('open'), user('h', 'board'))).toBe(false)
    expect(may(table, 'issue', vote('open'), user('m', 'board'))).toBe(true)
    expect(may(table, 'issue', vote('open'), user('x', 'board'))).toBe(false) // not on this board
    expect(may(table, 'cancel', vote('open'), user('s', 'secretariat'))).toBe(true)
    expect(may(table, 'cancel', vote('open'), user('a', 'admin'))).toBe(false)
    expect(mayCreate(table, user('s', 'secretariat'))).toBe(true)
    expect(mayCreate(table, user('a', 'admin'))).toBe(false)
    expect(may(null, 'issue', vote('open'), user('m', 'board'))).toBe(false)
  })
})

describe('audit entries as sentences', () => {
  const ev = (action: string, summary: object) => ({ seq: 1, at: '', actor_id: '', actor_name: '', action, object_type: '', object_id: '', summary: JSON.stringify(summary), prev_hash: '', hash: '' }) as AuditEvent
  it('says what happened, with people’s words for values', () => {
    setLang('vi')
    expect(auditSentence(ev('vote.issue', { delegate: 'Lê Văn A', code: 'DB01', ballots_issued: 3 }))).toBe('Phát phiếu cho đại biểu Lê Văn A (DB01); đã phát 3 phiếu')
    expect(auditSentence(ev('vote.publish', { resolution_number: '15/NQ-HĐND', adopted_on: '2028-12-05', tally_hash: 'ab'.repeat(32) })))
      .toBe('Công bố kết quả theo Nghị quyết số 15/NQ-HĐND ngày 05/12/2028')
    expect(auditSentence(ev('delegate.update', { full_name: { from: 'A', to: 'B' }, active: { from: true, to: false } })))
      .toBe('Sửa thông tin đại biểu (Họ và tên: A → B; Còn hoạt động: có → không)')
    expect(auditSentence(ev('vote.certify', { tally_hash: 'ab'.repeat(32) }))).toBe('Xác nhận kết quả kiểm phiếu (dấu kiểm ABAB-ABAB-ABAB)')
    expect(auditSentence(ev('something.new', { x: 1 }))).toBe('Thao tác khác')
  })
})
