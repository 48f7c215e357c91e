/** Words the Run view's components share: formats, outcomes, comparisons. */
import type { CaptureFormat, RecordedOutcome } from '../../../common/api.ts';

export const FORMAT_LABELS: Record<CaptureFormat, string> = {
  ndjson: 'NDJSON payloads',
  'history-jsonl': 'History export (JSON lines)',
  'endpoint-capture': 'Endpoint capture',
  har: 'HAR 1.2',
  curl: 'curl commands',
  'aws-cli': 'aws sagemaker-edge commands',
  'cli-input-json': 'cli-input-json (one request)',
  'cli-input-yaml': 'cli-input-yaml (one request)',
};

/** An outcome in a few words: "200", "400 ValidationException", "refused", "cancelled". */
export function outcomeText(outcome: RecordedOutcome | undefined): string {
  if (!outcome) return '';
  if (outcome.kind === 'success') return String(outcome.status ?? 'ok');
  if (outcome.kind === 'service-error') return `${outcome.status ?? ''} ${outcome.errorType ?? ''}`.trim();
  if (outcome.kind === 'transport-error') return outcome.errorType ?? 'no answer';
  return 'cancelled';
}

export const isFailure = (outcome: RecordedOutcome | undefined): boolean => outcome !== undefined && outcome.kind !== 'success';
