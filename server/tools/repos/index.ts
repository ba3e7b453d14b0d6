import grantRepoAccess from './grant-repo-access'
import listRepos from './list-repos'
import syncRepos from './sync-repos'

export default [listRepos, grantRepoAccess, syncRepos]
