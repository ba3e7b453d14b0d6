/** What MCTL needs of the GitHub App API (our own shapes, not Octokit's). */
export interface InstallationRepo {
  fullName: string
  private: boolean
  defaultBranch: string
}

export interface GitHubApp {
  /** Where a person installs the app on their repositories; `state` comes back in the callback. */
  installUrl(state: string): string
  /** Every repository the installation can access. */
  installationRepos(installationId: number): Promise<InstallationRepo[]>
}
