/** A language model that reads a prompt and answers text (the agent's optional analysis). */
export interface LanguageModel {
  readonly model: string
  /** One request: a system prompt and one user message; the answer's text. */
  complete(system: string, prompt: string): Promise<string>
}
