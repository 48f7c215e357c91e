/**
 * Profiles and regions from the shared config files, read with the SDK's own ini loader so the rules
 * (the "profile " prefix, sso-session sections, AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE) match
 * what the AWS CLI and SDKs do.
 */
import { DEFAULT_REGION } from '../../common/formats/target.ts';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';

export interface ProfileInfo {
  name: string;
  region?: string;
}

/** Every profile in ~/.aws/config and ~/.aws/credentials, sorted, with its region when the config gives one. */
export async function listProfiles(): Promise<ProfileInfo[]> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ignoreCache: true });
  const names = new Set<string>();
  for (const source of [configFile, credentialsFile]) {
    // sso-session and services sections are keyed "kind.name" by the loader; they are not profiles.
    for (const name of Object.keys(source)) if (!/^(sso-session|services)\./.test(name)) names.add(name);
  }
  return [...names].sort().map((name) => {
    const region = configFile[name]?.region ?? credentialsFile[name]?.region;
    return region ? { name, region } : { name };
  });
}

/** Region: the flag, then the profile's region, then AWS_REGION (and AWS_DEFAULT_REGION, as the AWS CLI reads), else us-east-1. */
export async function resolveRegion(options: { region?: string; profile?: string; env?: NodeJS.ProcessEnv }): Promise<string> {
  if (options.region) return options.region;
  const env = options.env ?? process.env;
  const profile = options.profile ?? env.AWS_PROFILE ?? 'default';
  try {
    const { configFile, credentialsFile } = await loadSharedConfigFiles({ ignoreCache: true });
    const fromProfile = configFile[profile]?.region ?? credentialsFile[profile]?.region;
    if (fromProfile) return fromProfile;
  } catch {
    // unreadable config files simply contribute no region
  }
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || DEFAULT_REGION;
}
