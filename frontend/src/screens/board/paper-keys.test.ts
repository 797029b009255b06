// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { BatchEntry, keysOf, markOf, settledBallots, validBallot } from './paper-keys'

const type = (e: BatchEntry, keys: string) => [...keys].map((k) => e.press(k))

describe('keys to marks', () => {
  it('reads 1, 2, 3 as the levels of a confidence vote, 0 as empty, x and 9 as several marks', () => {
    expect(['1', '2', '3', '0', 'x', 'X', '9'].map((k) => markOf('confidence', k))).toEqual(['h', 'm', 'l', '0', 'x', 'x', 'x'])
    expect(['h', 'm', 'l', 'H'].map((k) => markOf('confidence', k))).toEqual(['h', 'm', 'l', 'h'])
  })
  it('reads 1, 2 as tín nhiệm and không tín nhiệm in a no-confidence vote; 3 is no mark there', () => {
    expect(['1', '2', '3', 't', 'n', '0', '9'].map((k) => markOf('no_confidence', k))).toEqual(['t', 'n', null, 't', 'n', '0', 'x'])
  })
  it('ignores every other key', () => {
    for (const k of ['4', 'a', ' ', 'Enter', 'Tab', 'ArrowDown', 'Shift', 'ư']) expect(markOf('confidence', k)).toBeNull()
  })
  it('lists the touch buttons in ballot order', () => {
    expect(keysOf('confidence').map((k) => k.key + k.mark).join(' ')).toBe('1h 2m 3l 00 xx')
    expect(keysOf('no_confidence').map((k) => k.key + k.mark).join(' ')).toBe('1t 2n 00 xx')
  })
})

describe('a batch entered key by key', () => {
  it('moves on row by row and starts the next ballot after the last row', () => {
    const e = new BatchEntry('confidence', 3)
    type(e, '12')
    expect(e.cursor).toEqual({ ballot: 0, row: 2 })
    type(e, '3')
    expect(e.ballots).toEqual(['hml'])
    expect(e.cursor).toEqual({ ballot: 1, row: 0 })
    type(e, '0x9')
    expect(e.ballots).toEqual(['hml', '0xx'])
    expect(e.current).toBe('')
  })

  it('undoes the last mark, across the start of a ballot, and nothing before the first', () => {
    const e = new BatchEntry('confidence', 2)
    type(e, '1231')
    expect(e.ballots).toEqual(['hm', 'lh'])
    expect(e.press('Backspace')).toBe(true)
    expect(e.ballots).toEqual(['hm'])
    expect(e.current).toBe('l')
    e.undo()
    e.undo()
    expect(e.ballots).toEqual([])
    expect(e.current).toBe('h')
    e.undo()
    expect(e.undo()).toBe(false)
    expect(e.marks).toBe(0)
  })

  it('keeps the totals per person and level as it goes, undo included', () => {
    const e = new BatchEntry('confidence', 2)
    type(e, '13' + '30' + '3x' + '1')
    // row 0: h, l, l, h; row 1: l, empty, several
    expect(e.rowTotals(0)).toEqual([2, 0, 2, 0, 0])
    expect(e.rowTotals(1)).toEqual([0, 0, 1, 1, 1])
    e.undo()
    e.undo()
    expect(e.rowTotals(0)).toEqual([1, 0, 2, 0, 0])
    expect(e.rowTotals(1)).toEqual([0, 0, 1, 1, 0])
    expect(e.count(1, 3)).toBe(1)
  })

  it('stops at the batch size until the size is raised', () => {
    const e = new BatchEntry('no_confidence', 1, 2)
    expect(type(e, '122')).toEqual([true, true, false])
    expect(e.full).toBe(true)
    e.limit = 3
    expect(e.press('2')).toBe(true)
    expect(e.ballots).toEqual(['t', 'n', 'n'])
  })

  it('ignores keys that are no mark, and clears', () => {
    const e = new BatchEntry('no_confidence', 2)
    expect(type(e, '3a1')).toEqual([false, false, true])
    e.clear()
    expect([e.marks, e.rowTotals(0).join()]).toEqual([0, '0,0,0,0'])
  })
})

describe('the settlement', () => {
  it('takes the agreeing ballots from the first entry and the chosen ones where they differ', () => {
    expect(settledBallots([['hm', 'lx', 'll'], ['hm', 'l0', 'll']], new Map([[2, 'l0']]))).toEqual(['hm', 'l0', 'll'])
  })
  it('reaches the longer entry: a ballot only the second entry has is kept when chosen', () => {
    // The server lists position 3, present in the second entry only (differingRows).
    expect(settledBallots([['hm', 'lx'], ['hm', 'lx', 'll']], new Map([[3, 'll']]))).toEqual(['hm', 'lx', 'll'])
    expect(settledBallots([['hm', 'lx', 'll'], ['hm', 'lx']], new Map([[3, 'll']]))).toEqual(['hm', 'lx', 'll'])
  })
  it('drops a position chosen as absent (no such ballot)', () => {
    expect(settledBallots([['hm', 'lx'], ['hm', 'lx', 'll']], new Map([[3, null]]))).toEqual(['hm', 'lx'])
    expect(settledBallots([['hm', 'lx', 'll'], ['hm', 'l0']], new Map<number, string | null>([[2, 'l0'], [3, null]]))).toEqual(['hm', 'l0'])
    expect(settledBallots([['hm', 'lx', 'll'], ['hm', 'lx', 'll', 'm0', 'hh']], new Map<number, string | null>([[2, null], [4, 'm0'], [5, null]]))).toEqual(['hm', 'll', 'm0'])
  })
  it('checks a typed ballot against the vote', () => {
    expect(validBallot('confidence', 3, 'hm0')).toBe(true)
    expect(validBallot('confidence', 3, 'hm')).toBe(false)
    expect(validBallot('confidence', 2, 'ht')).toBe(false)
    expect(validBallot('no_confidence', 2, 'tx')).toBe(true)
  })
})

describe('speed of the entry logic', () => {
  it('enters a batch of 25 ballots × 50 rows (1 250 keys), with totals, far under a frame a key', () => {
    const keys = Array.from({ length: 25 * 50 }, (_, i) => '1230x'[(i * 7) % 5])
    const runs: number[] = []
    for (let r = 0; r < 5; r++) {
      const e = new BatchEntry('confidence', 50, 25)
      const t0 = performance.now()
      for (const k of keys) e.press(k)
      for (let row = 0; row < 50; row++) e.rowTotals(row)
      runs.push(performance.now() - t0)
      expect(e.ballots.length).toBe(25)
      expect(e.full).toBe(true)
    }
    const best = Math.min(...runs)
    console.log(`entry logic: 25 ballots × 50 rows (1250 keys + totals) in ${best.toFixed(2)} ms (best of 5; ${((best / 1250) * 1000).toFixed(1)} µs a key)`)
    expect(best).toBeLessThan(250)
  })
})
