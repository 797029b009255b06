// The kiosk wipes a ballot left alone, so the next person never sees someone else's marks — but
// first it counts down where everyone can see it, and a touch keeps the ballot.

import { useEffect, useRef, useState } from 'preact/hooks'

/** Seconds of quiet before the wipe: short at the code, longer while a ballot is being marked. */
export const IDLE_CODE_SECONDS = 60
export const IDLE_MARKING_SECONDS = 180
/** The countdown shown before the wipe. */
export const WARN_SECONDS = 15

/** Counts the quiet seconds while active; returns the seconds left once the countdown shows, else
 * null. Calls wipe when the time is up; a touch or a key starts the time again, and so does a new
 * step (a new limit). The limit is read at each tick, so a step change never meets an old timer. */
export function useIdle(active: boolean, limit: number, wipe: () => void): number | null {
  const last = useRef(Date.now())
  const state = useRef({ active, limit })
  if (state.current.active !== active || state.current.limit !== limit) {
    state.current = { active, limit }
    last.current = Date.now()
  }
  const [left, setLeft] = useState<number | null>(null)
  const fire = useRef(wipe)
  fire.current = wipe
  useEffect(() => {
    // A touch only restarts the time: the countdown goes at the next tick, so the tap that meant
    // "keep my ballot" never lands on a choice that was under the countdown's button.
    const touch = () => { last.current = Date.now() }
    const events = ['pointerdown', 'keydown', 'input', 'wheel', 'touchstart'] as const
    events.forEach((e) => addEventListener(e, touch, true))
    const id = setInterval(() => {
      const { active: on, limit: max } = state.current
      if (!on) return setLeft(null)
      const quiet = (Date.now() - last.current) / 1000
      if (quiet >= max) {
        last.current = Date.now()
        setLeft(null)
        fire.current()
        return
      }
      setLeft(quiet >= max - WARN_SECONDS ? Math.ceil(max - quiet) : null)
    }, 1000)
    return () => { events.forEach((e) => removeEventListener(e, touch, true)); clearInterval(id) }
  }, [])
  return active ? left : null
}
