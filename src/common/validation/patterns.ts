/**
 * Every pattern of the model in words, for error messages and input help: people read "letters,
 * digits and hyphens", not `^[a-zA-Z0-9](-*[a-zA-Z0-9])*$`. A test walks the model and fails when a
 * pattern has no entry here, so a new model cannot bring a raw regular expression back.
 */
export const PATTERN_WORDS: Readonly<Record<string, string>> = {
  // DeviceName, DeviceFleetName.
  '^[a-zA-Z0-9](-*_*[a-zA-Z0-9])*$':
    'letters, digits, hyphens and underscores; starts and ends with a letter or digit, and no hyphen directly follows an underscore',
  // ModelName, MetricName, DeploymentName, DeploymentStatus, ModelHandle.
  '^[a-zA-Z0-9](-*[a-zA-Z0-9])*$': 'letters, digits and hyphens; starts and ends with a letter or digit',
  // Dimension.
  '^[a-zA-Z0-9](-*[a-zA-Z0-9\\/])*$':
    'letters, digits, hyphens and slashes; starts with a letter or digit and ends with a letter, digit or slash',
  // AgentVersion, ModelVersion: not anchored, so one such character anywhere is enough.
  '[a-zA-Z0-9 _\\.]+': 'at least one letter, digit, space, underscore or dot',
};

/** The words for a pattern; a pattern missing from the table is described as such, never shown raw. */
export function patternWords(pattern: string): string {
  return PATTERN_WORDS[pattern] ?? 'the characters the model allows for this member';
}
