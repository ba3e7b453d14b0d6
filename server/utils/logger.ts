export type Fields = Record<string, unknown>

export interface Logger {
  info(event: string, fields?: Fields): void
  warn(event: string, fields?: Fields): void
  error(event: string, fields?: Fields): void
  /** For the person who started the server: plain lines on a terminal, else one JSON event with `message`. */
  notice(event: string, message: string, fields?: Fields): void
}

/**
 * Structured logs: one JSON line per event (what log collectors want), or a readable line
 * on a terminal. Callers pass facts, never secrets: tokens and secret values are not logged.
 */
export function createLogger(json = !process.stdout.isTTY): Logger {
  outliveClosedLogStreams()
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
    notice: (e, message, f) => json ? write('info', e, { message, ...f }) : process.stdout.write(`\n${message}\n\n`),
  }
}

let outliving = false

/**
 * Whatever reads the logs may go away (a log shipper that exits, a pipe closed: EPIPE). Its
 * lines are lost then, but the service goes on. Unhandled, the failed write is an uncaught
 * exception, whose report is written to the same closed pipe, fails again, and so on: the
 * process spins at full CPU and grows, answering nothing, until it is killed.
 */
function outliveClosedLogStreams() {
  if (outliving) return
  outliving = true
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {})
}
