import { answerReason, callHttp } from '../http'
import { upstream } from '../../utils/errors'
import type { LanguageModel } from './types'

export interface AnthropicOptions { apiKey: string, model: string, baseUrl: string, timeoutMs: number }

const MAX_TOKENS = 1024

/** The Anthropic Messages API (`POST /v1/messages`), one bounded request per analysis. */
export class AnthropicModel implements LanguageModel {
  constructor(private readonly opts: AnthropicOptions) {}

  get model() { return this.opts.model }

  async complete(system: string, prompt: string): Promise<string> {
    const answer = await callHttp('Anthropic Messages API', `${this.opts.baseUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': this.opts.apiKey, 'anthropic-version': '2023-06-01' },
      body: { model: this.opts.model, max_tokens: MAX_TOKENS, system, messages: [{ role: 'user', content: prompt }] },
      timeoutMs: this.opts.timeoutMs,
    })
    if (answer.status !== 200) {
      const said = answer.body?.error?.message ? `HTTP ${answer.status}: ${answer.body.error.message}` : answerReason(answer)
      throw upstream(`Anthropic Messages API failed: ${said}`)
    }
    const text = (answer.body?.content ?? []).filter((c: { type: string }) => c.type === 'text').map((c: { text: string }) => c.text).join('\n').trim()
    if (!text) throw upstream('Anthropic Messages API answered without text')
    return text
  }
}
