import listServices from './list-services'

export default [listServices]
