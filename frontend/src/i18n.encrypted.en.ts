// The encrypted screens' strings (English), merged into the one catalogue (i18n.en.ts).
import type { viEncrypted } from './i18n.encrypted.vi'

export const enEncrypted: Record<keyof typeof viEncrypted, string> = {
}
