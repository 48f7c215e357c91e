/**
 * `--credentials FILE`: the key pairs the endpoint accepts, either in the AWS shared-credentials INI
 * format (every section with aws_access_key_id and aws_secret_access_key counts) or as a JSON list
 * `[{"accessKeyId": "...", "secretAccessKey": "..."}]`.
 */
import { readFile } from 'node:fs/promises';
import type { AcceptedKey } from './verify-signature.ts';

export async function loadCredentialsFile(path: string): Promise<AcceptedKey[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(
      `Cannot read the credentials file ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); check the path.`,
      { cause: error },
    );
  }
  const keys = looksLikeJson(text) ? parseJsonKeys(text, path) : parseIniKeys(text);
  if (keys.length === 0)
    throw new Error(
      `The credentials file ${path} holds no key pair; add aws_access_key_id and aws_secret_access_key (INI) or a JSON list of {accessKeyId, secretAccessKey}.`,
    );
  return keys;
}

export function parseIniKeys(text: string): AcceptedKey[] {
  const sections: Array<Record<string, string>> = [];
  let current: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (/^\[[^\]]+\]$/.test(line)) sections.push((current = {}));
    else if (current) {
      const eq = line.indexOf('=');
      if (eq > 0) current[line.slice(0, eq).trim().toLowerCase()] = line.slice(eq + 1).trim();
    }
  }
  return sections
    .filter((s) => s.aws_access_key_id && s.aws_secret_access_key)
    .map((s) => ({ accessKeyId: s.aws_access_key_id, secretAccessKey: s.aws_secret_access_key }));
}

/** An INI file starts with a [section] line; a JSON list starts with "[" followed by "{" or "]". */
function looksLikeJson(text: string): boolean {
  return /^\s*\[\s*[{\]]/.test(text);
}

function parseJsonKeys(text: string, path: string): AcceptedKey[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`The credentials file ${path} starts like JSON but is not valid JSON; fix it or use the AWS INI format.`);
  }
  if (
    !Array.isArray(value) ||
    !value.every((k) => typeof k?.accessKeyId === 'string' && typeof k?.secretAccessKey === 'string' && k.accessKeyId && k.secretAccessKey)
  ) {
    throw new Error(`The credentials file ${path} must be a JSON list of {"accessKeyId": ..., "secretAccessKey": ...}.`);
  }
  return value.map((k: AcceptedKey) => ({ accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey }));
}
