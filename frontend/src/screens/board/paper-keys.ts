// The entry logic of a batch of paper ballots (issue 16 §4, §7): one key per mark, the cursor moving on
// by itself row by row and ballot by ballot, an undo, and the batch's running totals kept as each key
// is pressed (so a keystroke costs the same at ballot 1 and ballot 25). Pure: no DOM, no storage, no
// server — the screen sends the whole batch at the end, and the entry lives in memory only.

export type VoteKind = 'confidence' | 'no_confidence'

/** The letters of a kind's levels, in ballot order, as the API reads them. */
export const LETTERS: Record<VoteKind, string> = { confidence: 'hml', no_confidence: 'tn' }

/** A row left empty (invalid for that person). */
export const BLANK = '0'
/** A row with several marks (invalid for that person). */
export const SEVERAL = 'x'

/**
 * The mark a key stands for, or null: 1, 2, 3 the levels in ballot order (1 = cao, 2 = tín nhiệm,
 * 3 = thấp; for a no-confidence vote 1 = tín nhiệm, 2 = không tín nhiệm), 0 an empty row, x or 9
 * several marks. The levels' own letters are accepted too (h, m, l; t, n).
 */
export function markOf(kind: VoteKind, key: string): string | null {
  const letters = LETTERS[kind]
  if (key.length !== 1) return null
  const k = key.toLowerCase()
  if (k === '0') return BLANK
  if (k === 'x' || k === '9') return SEVERAL
  const n = k.charCodeAt(0) - 0x31 // '1' → 0
  if (n >= 0 && n < letters.length) return letters[n]
  if (letters.includes(k)) return k
  return null
}

/** The keys of a kind's marks, in the order the touch buttons show them. */
export function keysOf(kind: VoteKind): { key: string; mark: string }[] {
  return [...LETTERS[kind]].map((m, i) => ({ key: String(i + 1), mark: m })).concat([{ key: '0', mark: BLANK }, { key: 'x', mark: SEVERAL }])
}

/** Checks a ballot as typed (the head's settlement): one mark per row, each a letter of the kind, 0 or x. */
export function validBallot(kind: VoteKind, rows: number, s: string): boolean {
  if (s.length !== rows) return false
  const ok = LETTERS[kind] + BLANK + SEVERAL
  for (const c of s) if (!ok.includes(c)) return false
  return true
}

/**
 * One member's entry of one batch. `ballots` are the finished ballots (one string each, a mark a
 * row); `current` the marks of the ballot under way. Totals per row and column (the levels, then
 * empty rows, then several marks) follow every mark and every undo.
 */
export class BatchEntry {
  readonly letters: string
  readonly cols: number
  readonly ballots: string[] = []
  current = ''
  private readonly counts: Int32Array

  /** rows: the subjects on the ballot; limit: the batch's size, 0 for none. */
  constructor(
    readonly kind: VoteKind,
    readonly rows: number,
    public limit = 0,
  ) {
    if (rows < 1) throw new Error('a ballot has at least one row')
    this.letters = LETTERS[kind]
    this.cols = this.letters.length + 2
    this.counts = new Int32Array(rows * this.cols)
  }

  private col(mark: string): number {
    if (mark === BLANK) return this.letters.length
    if (mark === SEVERAL) return this.letters.length + 1
    return this.letters.indexOf(mark)
  }

  /** Whether the batch is full (its size reached with no ballot under way). */
  get full(): boolean {
    return this.limit > 0 && this.ballots.length >= this.limit && this.current === ''
  }

  /** Where the next mark goes: the ballot (0-based) and its row. */
  get cursor(): { ballot: number; row: number } {
    return { ballot: this.ballots.length, row: this.current.length }
  }

  /** Marks counted so far (every finished ballot's rows and the current ballot's). */
  get marks(): number {
    return this.ballots.length * this.rows + this.current.length
  }

  /** Puts one mark at the cursor and moves on; a finished ballot starts the next. False when full. */
  mark(m: string): boolean {
    const c = this.col(m)
    if (c < 0 || this.full) return false
    this.counts[this.current.length * this.cols + c]++
    this.current += m
    if (this.current.length === this.rows) {
      this.ballots.push(this.current)
      this.current = ''
    }
    return true
  }

  /** Handles a key: a mark (true when it was put), Backspace an undo. Other keys: false. */
  press(key: string): boolean {
    if (key === 'Backspace') return this.undo()
    const m = markOf(this.kind, key)
    return m !== null && this.mark(m)
  }

  /** Takes back the last mark, into the previous ballot when the current one is empty. */
  undo(): boolean {
    if (this.current === '') {
      const last = this.ballots.pop()
      if (last === undefined) return false
      this.current = last
    }
    const row = this.current.length - 1
    this.counts[row * this.cols + this.col(this.current[row])]--
    this.current = this.current.slice(0, row)
    return true
  }

  /** The count of a row's column: a level's index, then `levels` for empty rows, `levels + 1` for several marks. */
  count(row: number, col: number): number {
    return this.counts[row * this.cols + col]
  }

  /** A row's counts: the levels in ballot order, then empty rows, then several marks. */
  rowTotals(row: number): number[] {
    return Array.from(this.counts.subarray(row * this.cols, (row + 1) * this.cols))
  }

  /** Forgets everything entered (the member starts the batch again). */
  clear() {
    this.ballots.length = 0
    this.current = ''
    this.counts.fill(0)
  }
}

/**
 * The ballots of a settlement, up to the longest entry: each ballot as the first entry has it where
 * the entries agree, and as chosen where they differ (`chosen` by 1-based position, as the server
 * lists the differing rows, a ballot present in one entry only included). A position chosen as
 * absent (null) — no such ballot — is dropped, as is one that no choice covers and the first entry
 * lacks.
 */
export function settledBallots(entries: string[][], chosen: Map<number, string | null>): string[] {
  const longest = Math.max(0, ...entries.map((e) => e.length))
  const out: string[] = []
  for (let i = 0; i < longest; i++) {
    const b = chosen.has(i + 1) ? chosen.get(i + 1) : entries[0]?.[i]
    if (b) out.push(b)
  }
  return out
}
