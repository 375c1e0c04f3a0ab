/**
 * `gongkai search <bundle-dir-or-file> "<query>" [--json] [--limit N]`.
 * Owned by the search work; the CLI dispatcher calls `searchCommand`.
 * Returns the process exit code (0 ok, 1 invalid input, 2 usage).
 */
export async function searchCommand(argv: string[]): Promise<number> {
  console.error(`gongkai search: not available in this build (${argv.length} arguments given)`);
  return 2;
}
