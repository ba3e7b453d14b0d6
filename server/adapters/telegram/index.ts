import type { Settings } from '../../settings'
import { TelegramBot } from './client'
import type { Telegram } from './types'

export type { Button, Telegram } from './types'

/** The bot when NUXT_TELEGRAM_BOT_TOKEN is set; null otherwise (nothing is posted). */
export function createTelegram(s: Settings['telegram']): Telegram | null {
  return s.botToken ? new TelegramBot(s) : null
}
