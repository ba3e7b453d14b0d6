// A loopback fake of the Anthropic Messages API: POST /v1/messages with x-api-key and
// anthropic-version, answering a `message` with one text block. Records each request body
// so tests can check what the prompt contained (and what it must never contain).
import { json, listen, type Fake } from './http'

export interface FakeAnthropic extends Fake {
  apiKey: string
  /** Parsed request bodies, in order. */
  prompts: any[]
  reply: string
}

export async function startAnthropicFake(apiKey = 'sk-ant-test-0123456789abcdef'): Promise<FakeAnthropic> {
  const prompts: any[] = []
  const state = { reply: 'The container exceeds its memory limit under load; raise the limit and check for a leak.' }
  const fake = await listen((req, res) => {
    if (req.method !== 'POST' || req.path !== '/v1/messages') return json(res, 404, { type: 'error', error: { type: 'not_found_error', message: 'Not found' } })
    if (req.headers['x-api-key'] !== apiKey) return json(res, 401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } })
    if (!req.headers['anthropic-version']) return json(res, 400, { type: 'error', error: { type: 'invalid_request_error', message: 'anthropic-version header is required' } })
    const body = JSON.parse(req.body)
    if (!body.model || !body.max_tokens || !Array.isArray(body.messages)) return json(res, 400, { type: 'error', error: { type: 'invalid_request_error', message: 'model, max_tokens and messages are required' } })
    prompts.push(body)
    json(res, 200, {
      id: `msg_${prompts.length}`,
      type: 'message',
      role: 'assistant',
      model: body.model,
      content: [{ type: 'text', text: state.reply }],
      stop_reason: 'end_turn',
      usage: { input_tokens: req.body.length / 4, output_tokens: 40 },
    })
  })
  return { ...fake, apiKey, prompts, get reply() { return state.reply }, set reply(v: string) { state.reply = v } }
}
