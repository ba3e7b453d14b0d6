import whoami from './whoami'

export default [whoami]
