// A loopback fake of the GitHub REST endpoints for pull requests that MCTL uses: list
// (filtered by head/base/state), create, update (close) and issue comments, with token auth.
import { json, listen, type Fake } from './http'

export interface FakePull { number: number, title: string, body: string, head: string, base: string, state: 'open' | 'closed', comments: string[] }

export interface FakeGitHubPulls extends Fake {
  token: string
  repo: string
  pulls: FakePull[]
}

export async function startGitHubPullsFake(repo = 'acme/gitops', token = 'ghp_pulls0123456789'): Promise<FakeGitHubPulls> {
  const pulls: FakePull[] = []
  const view = (p: FakePull, host: string) => ({
    number: p.number, state: p.state, title: p.title, body: p.body,
    html_url: `https://github.example/${repo}/pull/${p.number}`, url: `http://${host}/repos/${repo}/pulls/${p.number}`,
    head: { ref: p.head, label: `${repo.split('/')[0]}:${p.head}` }, base: { ref: p.base },
  })
  let m: RegExpExecArray | null
  const fake = await listen((req, res) => {
    if (!/^(?:token|bearer) /i.test(req.headers.authorization ?? '') || !req.headers.authorization!.endsWith(` ${token}`)) return json(res, 401, { message: 'Bad credentials' })
    const host = req.headers.host ?? ''
    const base = `/repos/${repo}`
    const body = req.body ? JSON.parse(req.body) : {}
    if (req.path === `${base}/pulls` && req.method === 'GET') {
      const head = req.query.get('head')
      const state = req.query.get('state') ?? 'open'
      return json(res, 200, pulls.filter(p => (!head || `${repo.split('/')[0]}:${p.head}` === head) && (state === 'all' || p.state === state) && (!req.query.get('base') || p.base === req.query.get('base'))).map(p => view(p, host)))
    }
    if (req.path === `${base}/pulls` && req.method === 'POST') {
      if (pulls.some(p => p.head === body.head && p.state === 'open')) return json(res, 422, { message: 'Validation Failed', errors: [{ message: `A pull request already exists for ${body.head}.` }] })
      const pull: FakePull = { number: pulls.length + 1, title: body.title, body: body.body, head: body.head, base: body.base, state: 'open', comments: [] }
      pulls.push(pull)
      return json(res, 201, view(pull, host))
    }
    if ((m = new RegExp(`^${base}/pulls/(\\d+)$`).exec(req.path)) && req.method === 'PATCH') {
      const pull = pulls.find(p => p.number === Number(m![1]))
      if (!pull) return json(res, 404, { message: 'Not Found' })
      if (body.state) pull.state = body.state
      return json(res, 200, view(pull, host))
    }
    if ((m = new RegExp(`^${base}/issues/(\\d+)/comments$`).exec(req.path)) && req.method === 'POST') {
      const pull = pulls.find(p => p.number === Number(m![1]))
      if (!pull) return json(res, 404, { message: 'Not Found' })
      pull.comments.push(body.body)
      return json(res, 201, { id: pull.comments.length, body: body.body })
    }
    json(res, 404, { message: 'Not Found' })
  })
  return { ...fake, token, repo, pulls }
}
