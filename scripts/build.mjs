// Builds the app only when its sources changed, so `npm start` and `npm test` stay fast on a
// warm tree and can never run a stale .output. The hash covers what `nuxt build` reads.
import { createHash } from 'node:crypto'
import { createWriteStream, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { spawn } from 'node:child_process'
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = fileURLToPath(new URL('..', import.meta.url))

const SOURCE_DIRS = [
  'pages', 'components', 'layouts', 'composables', 'server', 'content', 'public', 'assets',
  // Nuxt also reads these when srcDir is the repository root.
  'middleware', 'plugins', 'utils', 'shared', 'modules',
]
const SOURCE_FILES = [
  'nuxt.config.ts', 'content.config.ts', 'app.vue', 'app.config.ts', 'error.vue', 'package-lock.json', 'tsconfig.json',
]
const SKIP_DIRS = new Set(['node_modules', '.output', '.nuxt', 'data', 'tests', 'bench'])

const OUTPUT_ENTRY = join(root, '.output/server/index.mjs')
/** Nuxt's few hundred lines of build output go here; the terminal gets one line. */
export const BUILD_LOG = join(root, '.nuxt-build.log')
const HASH_FILE = join(root, '.output/.mctl-build-hash')

function listFiles(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP_DIRS.has(entry.name)) continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) listFiles(path, out)
    else if (entry.isFile()) out.push(path)
  }
  return out
}

export function sourceHash() {
  const files = []
  for (const dir of SOURCE_DIRS) {
    if (existsSync(join(root, dir))) listFiles(join(root, dir), files)
  }
  for (const file of SOURCE_FILES) {
    if (existsSync(join(root, file))) files.push(join(root, file))
  }
  // Forward slashes and a stable order make the hash the same on every machine.
  const entries = files.map(path => relative(root, path).split(sep).join('/')).sort()
  const hash = createHash('sha256')
  for (const rel of entries) {
    const content = readFileSync(join(root, rel))
    // Length-prefixed so that moving bytes between a path and a file cannot collide.
    hash.update(`${rel}\0${content.length}\0`)
    hash.update(content)
  }
  return hash.digest('hex')
}

/** Runs a command with its output in `logFile`. */
function run(command, args, logFile) {
  return new Promise((resolve, reject) => {
    const log = createWriteStream(logFile)
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout.pipe(log, { end: false })
    child.stderr.pipe(log, { end: false })
    child.on('error', reject)
    child.on('close', (code, signal) => log.end(() => resolve(code ?? (signal ? 1 : 0))))
  })
}

const tail = (file, lines) => readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')

export async function ensureBuild({ log = console.log } = {}) {
  // Hash before building: an edit made during the build then triggers the next rebuild.
  const hash = sourceHash()
  const built = existsSync(OUTPUT_ENTRY) && existsSync(HASH_FILE)
    && readFileSync(HASH_FILE, 'utf8').trim() === hash
  if (built) {
    log(`build: .output is up to date (${hash.slice(0, 12)})`)
    return { built: false, hash }
  }
  log(`build: sources changed, building… (a minute or two; full log in ${relative(root, BUILD_LOG)})`)
  const started = Date.now()
  const code = await run('npx', ['nuxt', 'build'], BUILD_LOG)
  if (code !== 0) throw new Error(`nuxt build failed with exit code ${code}; the end of ${BUILD_LOG}:\n${tail(BUILD_LOG, 40)}`)
  writeFileSync(HASH_FILE, `${hash}\n`)
  log(`build: done in ${Math.round((Date.now() - started) / 1000)} s`)
  return { built: true, hash }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  ensureBuild().catch((error) => {
    console.error(`build: ${error.message}`)
    process.exit(1)
  })
}
