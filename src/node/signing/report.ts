/**
 * The signature report as the CLI prints it. The report itself comes from the signing
 * (src/node/signing/sigv4.ts reportOf): canonical request, string to sign, scope, signed headers and
 * signature of exactly that signing; the secret never enters it, a session token is masked.
 */
import type { SigningReport } from './sigv4.ts';

export type { SigningReport } from './sigv4.ts';

/** The report as botocore --debug prints it: the pieces, one after another. */
export function formatSignatureReport(report: SigningReport): string {
  return [
    `Canonical request:\n${report.canonicalRequest}`,
    `String to sign:\n${report.stringToSign}`,
    `Credential scope: ${report.credentialScope}`,
    `Signed headers: ${report.signedHeaders.join(';')}`,
    `Signature: ${report.signature}`,
  ].join('\n\n');
}
