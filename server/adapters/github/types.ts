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
  /**
   * The app's own comment on issue or pull request `number` of `repo` that contains `marker`,
   * edited to `body` (which contains the marker); posted when there is none yet.
   */
  upsertComment(installationId: number, repo: string, number: number, marker: string, body: string): Promise<void>
}

export interface PullRequest { number: number, url: string }

/** Pull requests on the GitOps repository (proposals of the incident agent). */
export interface PullRequests {
  /** The open pull request from `head` into `base`, created when there is none yet. */
  ensure(p: { head: string, base: string, title: string, body: string }): Promise<PullRequest>
  /** Closes it with a comment saying why (merged elsewhere, rejected, withdrawn). */
  close(number: number, comment: string): Promise<void>
  /** Adds a comment and leaves the state alone. */
  comment(number: number, comment: string): Promise<void>
}
