import { describe, expect, it } from 'vitest'
import { byVietnameseName, dateShort, percent } from './format'

describe('formatting', () => {
  it('writes percentages with a decimal comma in Vietnamese', () => {
    expect(percent('53.19', 'vi')).toBe('53,19')
    expect(percent('0.00', 'vi')).toBe('0,00')
    expect(percent('53.19', 'en')).toBe('53.19')
  })
  it('writes dates day first', () => {
    expect(dateShort('2028-12-05')).toBe('05/12/2028')
  })
  it('sorts names by given name in Vietnamese order', () => {
    const names = ['Trần Văn Đức', 'Nguyễn Thị Ánh', 'Lê Văn Dũng', 'Phạm Văn An', 'Bùi Văn Bình']
    expect(byVietnameseName(names, (x) => x)).toEqual(['Phạm Văn An', 'Nguyễn Thị Ánh', 'Bùi Văn Bình', 'Lê Văn Dũng', 'Trần Văn Đức'])
  })
})
