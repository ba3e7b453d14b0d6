// A real DNS server on loopback (dns2, UDP): the records domain verification looks for,
// answered over the wire to MCTL's resolver. Unknown names get NXDOMAIN, known names asked
// for another type get an empty NOERROR (NODATA), like an authoritative server.
import dns2 from 'dns2'

const { Packet } = dns2

export interface FakeDns {
  /** `host:port` for NUXT_DNS_RESOLVER. */
  address: string
  cname: Map<string, string>
  txt: Map<string, string[]>
  /** Questions received, `TYPE name`. */
  queries: string[]
  /** While true, questions are swallowed: a resolver that never answers. */
  silent: boolean
  close(): Promise<void>
}

export async function startDnsFake(): Promise<FakeDns> {
  const cname = new Map<string, string>()
  const txt = new Map<string, string[]>()
  const queries: string[] = []
  const state = { silent: false }
  const server = dns2.createServer({
    udp: true,
    handle(request, send) {
      const [question] = request.questions
      const name = question!.name.toLowerCase()
      const type = question!.type === Packet.TYPE.CNAME ? 'CNAME' : question!.type === Packet.TYPE.TXT ? 'TXT' : String(question!.type)
      queries.push(`${type} ${name}`)
      if (state.silent) return
      const response = Packet.createResponseFromRequest(request)
      const base = { name: question!.name, class: Packet.CLASS.IN, ttl: 60 }
      if (type === 'CNAME' && cname.has(name)) response.answers.push({ ...base, type: Packet.TYPE.CNAME, domain: cname.get(name)! })
      else if (type === 'TXT' && txt.has(name)) response.answers.push(...txt.get(name)!.map(data => ({ ...base, type: Packet.TYPE.TXT, data })))
      else if (!cname.has(name) && !txt.has(name)) response.header.rcode = Packet.RCODE.NXDOMAIN
      send(response)
    },
  })
  await server.listen({ udp: { port: 0, address: '127.0.0.1' } })
  const { port } = server.addresses().udp as { port: number }
  return {
    address: `127.0.0.1:${port}`,
    cname,
    txt,
    queries,
    get silent() { return state.silent },
    set silent(v: boolean) { state.silent = v },
    close: () => server.close(),
  }
}
