import type { Settings } from '../../settings'
import { AnthropicModel } from './client'
import type { LanguageModel } from './types'

export type { LanguageModel } from './types'

/** Claude when NUXT_ANTHROPIC_API_KEY is set; null otherwise (the rules alone analyse). */
export function createLanguageModel(s: Settings['anthropic']): LanguageModel | null {
  return s.apiKey ? new AnthropicModel(s) : null
}
