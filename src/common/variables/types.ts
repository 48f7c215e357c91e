/**
 * Variables and environments (docs/variables.md): what HeartbeatApi's `environments` group carries.
 */

/** A problem of the environments file, at its line and column (1-based). */
export interface EnvironmentsProblem {
  line: number;
  column: number;
  message: string;
}

/** The environments file (YAML, one the user can commit) as the host read it. */
export interface EnvironmentsFile {
  /** Where it is on disk. */
  path: string;
  /** Its text ('' when it does not exist yet). */
  text: string;
  /** Named environments: variable name → value. */
  environments: Record<string, Record<string, string>>;
  problems: EnvironmentsProblem[];
}
