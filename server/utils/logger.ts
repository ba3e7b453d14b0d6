export type Fields = Record<string, unknown>

export interface Logger {
  info(event: string, fields?: Fields): void
  warn(event: string, fields?: Fields): void
  error(event: string, fields?: Fields): void
}

/**
 * Structured logs: one JSON line per event (what log collectors want), or a readable line
 * on a terminal. Callers pass facts, never secrets: tokens and secret values are not logged.
 */
export function createLogger(json = !process.stdout.isTTY): Logger {
  const write = (level: string, event: string, fields: Fields = {}) => {
    const time = new Date().toISOString()
    const line = json
      ? JSON.stringify({ time, level, event, ...fields })
      : `${time} ${level.toUpperCase().padEnd(5)} ${event} ${Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ')}`
    ;(level === 'error' ? process.stderr : process.stdout).write(`${line}\n`)
  }
  return {
    info: (e, f) => write('info', e, f),
    warn: (e, f) => write('warn', e, f),
    error: (e, f) => write('error', e, f),
  }
}
