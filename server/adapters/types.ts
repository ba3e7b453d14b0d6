/** DTOs several adapters share. */

/** One log line; `timestamp` is ISO 8601 UTC. */
export interface LogEntry { timestamp: string, line: string, labels: Record<string, string> }
