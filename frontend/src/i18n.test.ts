import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { catalogueKeys, fieldLabel, setLang, t } from './i18n'

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : []
  })
}

describe('catalogues', () => {
  it('have the same keys in both languages', () => {
    expect([...catalogueKeys.en].sort()).toEqual([...catalogueKeys.vi].sort())
  })
  it('hold every key the screens use', () => {
    const keys = new Set(catalogueKeys.vi)
    const used = new Set<string>()
    for (const f of sources(join(__dirname))) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\bt\('([a-z0-9_]+)'/g)) used.add(m[1])
    }
    expect(used.size).toBeGreaterThan(60)
    for (const k of used) expect(keys.has(k), k).toBe(true)
  })
  it('fill parameters and switch language', () => {
    setLang('en')
    expect(t('kiosk_wipe', { s: 20 })).toBe('The screen clears itself in 20 seconds.')
    setLang('vi')
    expect(t('kiosk_wipe', { s: 20 })).toBe('Màn hình sẽ tự xóa sau 20 giây.')
  })
  it('label the field names of the error envelope', () => {
    setLang('vi')
    expect(fieldLabel('full_name')).toBe('Họ và tên')
    expect(fieldLabel('line 4: positions[1].elected_on')).toBe('Dòng 4: Chức vụ 2 — Ngày bầu/phê chuẩn')
    expect(fieldLabel('line 7: code')).toBe('Dòng 7: Mã đại biểu')
    expect(fieldLabel('line 2')).toBe('Dòng 2')
    expect(fieldLabel('trigger.petitioners')).toBe('trigger — petitioners')
    setLang('en')
    expect(fieldLabel('line 4: positions[0].elected_on')).toBe('Line 4: Post 1 — Elected or approved on')
    setLang('vi')
  })
})
