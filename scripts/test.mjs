// `npm test`: build, make sure Chromium and Go exist, run vitest then Playwright, and end with one
// line `N passed, N failed` (also written to .test-summary) that CI reads.
// MCTL_TEST_ONLY=vitest|playwright runs a single runner while developing.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ensureBuild, root } from './build.mjs'

/** What the tests need from Debian, by the file that shows it is there. */
const DEBIAN = {
  // Playwright runs on Debian's Chromium (`npx playwright install` needs the internet).
  playwright: [['/usr/bin/chromium', 'chromium']],
  // The Helm chart is rendered by Helm's template engine built from these (tests/helm/render.go).
  vitest: [
    ['/usr/bin/go', 'golang-go'],
    ['/usr/share/gocode/src/github.com/Masterminds/sprig', 'golang-github-masterminds-sprig-dev'],
    ['/usr/share/gocode/src/sigs.k8s.io/yaml', 'golang-k8s-sigs-yaml-dev'],
  ],
}
const SUMMARY_FILE = join(root, '.test-summary')
const VITEST_REPORT = join(root, 'test-results/vitest.json')
const PLAYWRIGHT_REPORT = join(root, 'test-results/playwright.json')

function run(command, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
    child.on('error', (error) => {
      console.error(`test: could not run ${command}: ${error.message}`)
      resolve(1)
    })
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
  })
}

function finish(passed, failed, exitCode) {
  const line = `${passed} passed, ${failed} failed`
  writeFileSync(SUMMARY_FILE, `${line}\n`)
  console.log(line)
  process.exit(exitCode)
}

async function ensureDebianPackages(needs) {
  const missing = needs.filter(([path]) => !existsSync(path)).map(([, pkg]) => pkg)
  if (!missing.length) return
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages; install them (sudo apt-get install -y ${missing.join(' ')}) and rerun`)
  }
  console.log(`test: installing ${missing.join(', ')} with apt-get`)
  const env = { DEBIAN_FRONTEND: 'noninteractive' }
  if (await run('apt-get', ['update'], env) !== 0
    || await run('apt-get', ['install', '-y', ...missing], env) !== 0
    || needs.some(([path]) => !existsSync(path))) {
    throw new Error(`installing ${missing.join(' ')} with apt-get failed`)
  }
}

function readReport(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  }
  catch {
    return undefined
  }
}

// Each counter returns undefined when the runner left no usable report (it crashed).
function countVitest(report) {
  if (typeof report?.numPassedTests !== 'number') return undefined
  // A file that fails to load has no failed test of its own: count the file itself.
  const brokenFiles = (report.testResults ?? []).filter(file => file.status === 'failed'
    && !file.assertionResults?.some(test => test.status === 'failed')).length
  return { passed: report.numPassedTests, failed: report.numFailedTests + brokenFiles }
}

function countPlaywright(report) {
  const stats = report?.stats
  if (typeof stats?.expected !== 'number') return undefined
  // Retries are off, so a flaky test is one that failed at least once: it counts as failed.
  return { passed: stats.expected, failed: stats.unexpected + stats.flaky }
}

const RUNNERS = {
  vitest: {
    report: VITEST_REPORT,
    count: countVitest,
    run: () => run('npx', ['vitest', 'run', '--passWithNoTests',
      '--reporter=default', '--reporter=json', `--outputFile.json=${VITEST_REPORT}`]),
  },
  playwright: {
    report: PLAYWRIGHT_REPORT,
    count: countPlaywright,
    run: () => run('npx', ['playwright', 'test', '--reporter=list,json'],
      { PLAYWRIGHT_JSON_OUTPUT_FILE: PLAYWRIGHT_REPORT }),
  },
}

const only = process.env.MCTL_TEST_ONLY
if (only && !RUNNERS[only]) {
  console.error(`test: MCTL_TEST_ONLY must be one of ${Object.keys(RUNNERS).join(', ')}, got "${only}"`)
  process.exit(2)
}
const selected = only ? [only] : Object.keys(RUNNERS)

// A stale summary or report must never stand in for this run.
rmSync(SUMMARY_FILE, { force: true })
mkdirSync(join(root, 'test-results'), { recursive: true })
for (const name of selected) rmSync(RUNNERS[name].report, { force: true })

try {
  await ensureBuild({ log: console.log })
  await ensureDebianPackages(selected.flatMap(name => DEBIAN[name]))
}
catch (error) {
  console.error(`test: ${error.message}`)
  finish(0, 1, 1)
}

let passed = 0
let failed = 0
let exitCode = 0
// Sequential on purpose: both runners start servers and the machine has two cores.
for (const name of selected) {
  const code = await RUNNERS[name].run()
  const counts = RUNNERS[name].count(readReport(RUNNERS[name].report))
  if (!counts) console.error(`test: ${name} exited with code ${code} and wrote no report`)
  passed += counts?.passed ?? 0
  // A red runner with no failing test (load error, global setup crash, unhandled rejection)
  // still counts one failure, so the summary never reads "0 failed" on a failed run.
  failed += counts?.failed || (code !== 0 ? 1 : 0)
  if (code !== 0) exitCode = 1
}
finish(passed, failed, failed > 0 ? 1 : exitCode)
