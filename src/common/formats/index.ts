/**
 * Import and export formats of a request, by name: what `heartbeat convert` and the UI's
 * import/export menus use. Importers never throw; exporters take a document (valid or not).
 */
import type { Operation } from '../model/index.ts';
import { parseAwsCliCommand } from './aws-cli-args.ts';
import { emitCliInputJson, emitCliInputYaml, parseCliInputJson, parseCliInputYaml } from './cli-input.ts';
import { emitAwsCli, emitCurl, type AwsCliExportOptions } from './export-shell.ts';
import { emitJs, emitPython, emitR } from './export-snippets.ts';
import { parseJson } from '../json/parse.ts';
import type { FormatParse } from './problems.ts';

export * from './problems.ts';
export { parseAwsCliCommand, type AwsCliCommand } from './aws-cli-args.ts';
export { emitCliInputJson, emitCliInputYaml, parseCliInputJson, parseCliInputYaml, withIsoTimestamps } from './cli-input.ts';
export { emitAwsCli, emitCurl, type AwsCliExportOptions } from './export-shell.ts';
export { emitJs, emitPython, emitR } from './export-snippets.ts';
export { emitShorthand, parseShorthand, takesShorthand } from './shorthand.ts';
export { parseCurlCommand, parseProgram, programLanguage, type PastedRequest, type ProgramLanguage } from './paste-back.ts';
export { shellQuote, splitShellWords } from './shell.ts';
export { awsSkeleton, emitAwsSkeleton, exampleRequest } from './skeleton.ts';
export { DEFAULT_REGION, regionalEndpoint, type ExportTarget } from './target.ts';

export const IMPORT_FORMATS = ['json', 'cli-input-json', 'cli-input-yaml', 'shorthand'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export const EXPORT_FORMATS = ['json', 'yaml', 'aws-cli', 'curl', 'js', 'python', 'r'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface Imported extends FormatParse {
  operation: Operation;
  /** From an aws command line's --endpoint-url / --region. */
  endpointUrl?: string;
  region?: string;
}

/**
 * Reads text in an import format. "json" is the wire document, strict (timestamps must already be
 * numbers); "cli-input-json"/"cli-input-yaml" also take ISO 8601 timestamps; "shorthand" is a whole
 * `aws sagemaker-edge ...` command line (its parameters in shorthand or JSON).
 */
export function importText(format: ImportFormat, text: string, operation: Operation = 'SendHeartbeat', now?: number): Imported {
  switch (format) {
    case 'json': {
      const parsed = parseJson(text);
      return {
        operation,
        doc: parsed.value,
        problems: parsed.errors.map((e) => ({ path: e.path, message: e.message, line: e.line, column: e.column })),
      };
    }
    case 'cli-input-json':
      return { operation, ...parseCliInputJson(text, { operation, now }) };
    case 'cli-input-yaml':
      return { operation, ...parseCliInputYaml(text, { operation, now }) };
    case 'shorthand':
      return parseAwsCliCommand(text, { now });
  }
}

/** Writes a document in an export format. */
export function exportText(format: ExportFormat, doc: unknown, options: AwsCliExportOptions & { isoTimestamps?: boolean } = {}): string {
  switch (format) {
    case 'json':
      return emitCliInputJson(doc, options);
    case 'yaml':
      return emitCliInputYaml(doc, options);
    case 'aws-cli':
      return emitAwsCli(doc, options);
    case 'curl':
      return emitCurl(doc, options);
    case 'js':
      return emitJs(doc, options);
    case 'python':
      return emitPython(doc, options);
    case 'r':
      return emitR(doc, options);
  }
}
