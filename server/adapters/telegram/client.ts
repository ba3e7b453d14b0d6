import { answerReason, callHttp } from '../http'
import { upstream } from '../../utils/errors'
import type { Button, Telegram } from './types'

export interface TelegramOptions { botToken: string, apiUrl: string, timeoutMs: number }

const keyboard = (buttons?: Button[][]) =>
  ({ inline_keyboard: (buttons ?? []).map(row => row.map(b => ({ text: b.text, callback_data: b.data }))) })

/**
 * The Telegram Bot API over HTTPS. The bot token is part of every URL, so URLs are never
 * logged or put into messages: failures name the method only.
 */
export class TelegramBot implements Telegram {
  constructor(private readonly opts: TelegramOptions) {}

  async send(chatId: string, text: string, buttons?: Button[][]): Promise<number> {
    const result = await this.call('sendMessage', { chat_id: chatId, text, disable_web_page_preview: true, reply_markup: keyboard(buttons) })
    return Number(result?.message_id)
  }

  async edit(chatId: string, messageId: number, text: string, buttons?: Button[][]): Promise<void> {
    await this.call('editMessageText', { chat_id: chatId, message_id: messageId, text, disable_web_page_preview: true, reply_markup: keyboard(buttons) })
  }

  async answerCallback(callbackId: string, text: string): Promise<void> {
    await this.call('answerCallbackQuery', { callback_query_id: callbackId, text: text.slice(0, 200) })
  }

  private async call(method: string, body: Record<string, unknown>): Promise<any> {
    const url = `${this.opts.apiUrl}/bot${this.opts.botToken}/${method}`
    const answer = await callHttp(`Telegram ${method}`, url, { method: 'POST', body, timeoutMs: this.opts.timeoutMs })
    if (answer.status !== 200 || answer.body?.ok !== true) {
      const said = answer.body?.description ? `HTTP ${answer.status}: ${answer.body.description}` : answerReason(answer)
      throw upstream(`Telegram ${method} failed: ${said}`)
    }
    return answer.body.result
  }
}
