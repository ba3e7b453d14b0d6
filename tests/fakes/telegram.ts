// A loopback fake of the Telegram Bot API methods the agent calls: sendMessage (with inline
// keyboards), editMessageText and answerCallbackQuery, at POST /bot<token>/<method> with the
// real `{ok, result}` / `{ok: false, error_code, description}` answers. Records every call.
import { json, listen, type Fake } from './http'

export interface TelegramCall { method: string, body: any }

export interface FakeTelegram extends Fake {
  token: string
  calls: TelegramCall[]
  /** The calls of one method, in order. */
  sent(method: string): any[]
  /** A callback_query update as Telegram posts it when someone presses an inline button. */
  press(o: { chatId: string, messageId: number, fromId: number, data: string }): unknown
}

let updates = 1000

export async function startTelegramFake(token = `123456:${'x'.repeat(35)}`): Promise<FakeTelegram> {
  const calls: TelegramCall[] = []
  let nextMessageId = 1
  const fake = await listen((req, res) => {
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(req.path)
    if (!m || req.method !== 'POST') return json(res, 404, { ok: false, error_code: 404, description: 'Not Found' })
    if (m[1] !== token) return json(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' })
    const body = JSON.parse(req.body || '{}')
    calls.push({ method: m[2]!, body })
    switch (m[2]) {
      case 'sendMessage':
        if (!body.chat_id || !body.text) return json(res, 400, { ok: false, error_code: 400, description: 'Bad Request: message text is empty' })
        return json(res, 200, { ok: true, result: { message_id: nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: Number(body.chat_id), type: 'supergroup' }, text: body.text } })
      case 'editMessageText':
        return json(res, 200, { ok: true, result: { message_id: body.message_id, chat: { id: Number(body.chat_id), type: 'supergroup' }, text: body.text } })
      case 'answerCallbackQuery':
        return json(res, 200, { ok: true, result: true })
      default:
        return json(res, 404, { ok: false, error_code: 404, description: 'Not Found: method not found' })
    }
  })
  return {
    ...fake,
    token,
    calls,
    sent: method => calls.filter(c => c.method === method).map(c => c.body),
    press: ({ chatId, messageId, fromId, data }) => ({
      update_id: updates++,
      callback_query: {
        id: String(updates * 7919),
        from: { id: fromId, is_bot: false, first_name: 'Tester', username: `user${fromId}` },
        message: { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: { id: Number(chatId), type: 'supergroup' }, text: '…' },
        chat_instance: '-4242',
        data,
      },
    }),
  }
}
