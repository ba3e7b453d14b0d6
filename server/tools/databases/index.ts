import provisionDatabase from './provision-database'

export default [provisionDatabase]
