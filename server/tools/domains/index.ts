import addCustomDomain from './add-custom-domain'
import listDomains from './list-domains'
import removeCustomDomain from './remove-custom-domain'
import verifyDomain from './verify-domain'

export default [listDomains, verifyDomain, addCustomDomain, removeCustomDomain]
