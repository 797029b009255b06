// The paper screens' strings (English), merged into the one catalogue (i18n.en.ts).
import type { viPaper } from './i18n.paper.vi'

export const enPaper: Record<keyof typeof viPaper, string> = {
}
