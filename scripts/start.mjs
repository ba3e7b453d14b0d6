// `npm start`: build if the sources changed, then run the production server in the foreground.
import { spawn } from 'node:child_process'
import { constants } from 'node:os'
import { join } from 'node:path'
import { ensureBuild, root } from './build.mjs'

try {
  await ensureBuild({ log: console.log })
}
catch (error) {
  console.error(`start: ${error.message}`)
  process.exit(1)
}

const child = spawn(process.execPath, [join(root, '.output/server/index.mjs')], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, PORT: process.env.PORT || '3000' },
})

// The server shuts down gracefully on these (open operations, SQLite), so pass them on and
// let its exit decide ours instead of dying first.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal))
}

child.on('error', (error) => {
  console.error(`start: could not run the server: ${error.message}`)
  process.exit(1)
})
child.on('exit', (code, signal) => {
  // Conventional shell status for a signalled child: 128 + signal number.
  process.exit(code ?? 128 + (constants.signals[signal] ?? 0))
})
