/** What domain verification asks of DNS. */
export interface Dns {
  /** The resolver asked: an address, or "the system resolver". */
  readonly resolver: string
  /** CNAME targets of `name` (no trailing dot, lowercase); [] when there is none. */
  cname(name: string): Promise<string[]>
  /** TXT values of `name` (each record's strings joined); [] when there is none. */
  txt(name: string): Promise<string[]>
}
