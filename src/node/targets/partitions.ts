/**
 * The `aws.partition` function the endpoint rule set calls. The table is the region regexes and DNS
 * suffixes of the SDK's partitions.json (@aws-sdk/util-endpoints), which is not a direct dependency;
 * the rule set itself decides the URL.
 */
export interface Partition {
  name: string;
  dnsSuffix: string;
  dualStackDnsSuffix: string;
  supportsFIPS: boolean;
  supportsDualStack: boolean;
  implicitGlobalRegion: string;
}

const PARTITIONS: Array<Partition & { regionRegex: RegExp }> = [
  {
    name: 'aws',
    regionRegex: /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/,
    dnsSuffix: 'amazonaws.com',
    dualStackDnsSuffix: 'api.aws',
    supportsFIPS: true,
    supportsDualStack: true,
    implicitGlobalRegion: 'us-east-1',
  },
  {
    name: 'aws-cn',
    regionRegex: /^cn-\w+-\d+$/,
    dnsSuffix: 'amazonaws.com.cn',
    dualStackDnsSuffix: 'api.amazonwebservices.com.cn',
    supportsFIPS: true,
    supportsDualStack: true,
    implicitGlobalRegion: 'cn-northwest-1',
  },
  {
    name: 'aws-us-gov',
    regionRegex: /^us-gov-\w+-\d+$/,
    dnsSuffix: 'amazonaws.com',
    dualStackDnsSuffix: 'api.aws',
    supportsFIPS: true,
    supportsDualStack: true,
    implicitGlobalRegion: 'us-gov-west-1',
  },
  {
    name: 'aws-iso',
    regionRegex: /^us-iso-\w+-\d+$/,
    dnsSuffix: 'c2s.ic.gov',
    dualStackDnsSuffix: 'c2s.ic.gov',
    supportsFIPS: true,
    supportsDualStack: false,
    implicitGlobalRegion: 'us-iso-east-1',
  },
  {
    name: 'aws-iso-b',
    regionRegex: /^us-isob-\w+-\d+$/,
    dnsSuffix: 'sc2s.sgov.gov',
    dualStackDnsSuffix: 'sc2s.sgov.gov',
    supportsFIPS: true,
    supportsDualStack: false,
    implicitGlobalRegion: 'us-isob-east-1',
  },
  {
    name: 'aws-iso-e',
    regionRegex: /^eu-isoe-\w+-\d+$/,
    dnsSuffix: 'cloud.adc-e.uk',
    dualStackDnsSuffix: 'cloud.adc-e.uk',
    supportsFIPS: true,
    supportsDualStack: false,
    implicitGlobalRegion: 'eu-isoe-west-1',
  },
  {
    name: 'aws-iso-f',
    regionRegex: /^us-isof-\w+-\d+$/,
    dnsSuffix: 'csp.hci.ic.gov',
    dualStackDnsSuffix: 'csp.hci.ic.gov',
    supportsFIPS: true,
    supportsDualStack: false,
    implicitGlobalRegion: 'us-isof-south-1',
  },
];

/** Like the SDK: a region no partition claims belongs to `aws`. */
export function partitionOf(region: string): Partition {
  const found = PARTITIONS.find((p) => p.regionRegex.test(region)) ?? PARTITIONS[0]!;
  const { regionRegex: _regex, ...partition } = found;
  return partition;
}
