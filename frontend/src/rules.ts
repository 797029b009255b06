// Who may do what comes from the server's role table (GET /api/v1/role-table, generated from
// internal/vote): the UI shows an action to those whom the table allows in the vote's status, and
// the server decides anyway. No rule is copied here.

import { api, RoleTable, unwrap, User, Vote } from './api'
import { useLoad } from './ui/load'

let table: Promise<RoleTable> | null = null

export function loadRoleTable(): Promise<RoleTable> {
  if (!table) {
    table = unwrap(api.GET('/api/v1/role-table'))
    table.catch(() => { table = null })
  }
  return table
}

export function useRoleTable() {
  return useLoad(loadRoleTable, [])
}

type Who = RoleTable['rules'][number]['who'][number]

function fits(who: Who, me: User, vote: Vote | null): boolean {
  const mine = vote?.board.find((m) => m.user_id === me.id)
  switch (who) {
    case 'staff': return true
    case 'secretariat': return me.role === 'secretariat'
    case 'board': return !!mine
    case 'board_head': return mine?.board_role === 'head'
  }
  return false
}

/** Whether the table lets me take action on the vote in its present status. */
export function may(rt: RoleTable | null, action: string, vote: Vote, me: User): boolean {
  if (!rt) return false
  return rt.rules.some((r) => r.action === action && r.statuses.includes(vote.status) && r.who.some((w) => fits(w, me, vote)))
}

/** Whether I may draft a new vote (the "create" row has no status). */
export function mayCreate(rt: RoleTable | null, me: User): boolean {
  return !!rt && rt.rules.some((r) => r.action === 'create' && r.who.some((w) => fits(w, me, null)))
}
