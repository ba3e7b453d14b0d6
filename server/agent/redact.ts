/**
 * Masks what looks like a secret in text that leaves MCTL's hands (log lines in evidence,
 * the LLM prompt, remote skills). Secret values themselves are never readable through MCTL
 * (the secret store only gives names), so this works from shapes: `<secretish name>=value`,
 * the service's own secret env names, auth headers, URL credentials and well-known token
 * formats.
 */
const MASK = '[redacted]'

const NAMED = /\b([\w.-]*(?:passw(?:or)?d|passwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credential|session[_-]?id|cookie)[\w.-]*)("?\s*[=:]\s*"?)([^\s"',;&}]+)/gi
const AUTH = /\b(Bearer|Basic|Token)\s+[\w\-.~+/=]{8,}/gi
const URL_CREDENTIALS = /(\w+:\/\/)[^\s/@:]+:[^\s/@]+@/g
const TOKENS = /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w{20,}|xox[abprs]-[\w-]{10,}|sk-[\w-]{16,}|AKIA[0-9A-Z]{16}|eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}|mctl_pat_[\w-]{16,})\b/g

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

export function redactor(secretNames: string[] = []): (text: string) => string {
  const own = secretNames.length ? new RegExp(`\\b(${secretNames.map(escape).join('|')})("?\\s*[=:]\\s*"?)([^\\s"',;&}]+)`, 'g') : null
  return (text) => {
    let out = text
    if (own) out = out.replace(own, (_, name, sep) => `${name}${sep}${MASK}`)
    return out
      .replace(NAMED, (_, name, sep) => `${name}${sep}${MASK}`)
      .replace(AUTH, (_, scheme) => `${scheme} ${MASK}`)
      .replace(URL_CREDENTIALS, '$1***@')
      .replace(TOKENS, MASK)
  }
}
