/** What the incident agent needs of the Telegram Bot API (our own shapes). */

export interface Button { text: string, data: string }

export interface Telegram {
  /** Posts a plain-text message, with rows of inline buttons; returns its message id. */
  send(chatId: string, text: string, buttons?: Button[][]): Promise<number>
  /** Replaces a message's text; its buttons go unless given again. */
  edit(chatId: string, messageId: number, text: string, buttons?: Button[][]): Promise<void>
  /** The small notice a person sees after pressing a button. */
  answerCallback(callbackId: string, text: string): Promise<void>
}
