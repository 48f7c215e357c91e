// What the CLI build takes of undici's internals (scripts/build-cli.mjs), and the version they were checked against.

/**
 * `undici` as src imports it at run time (types aside): the two dispatchers, from undici's own modules,
 * with the one API method of undici's index that they use, `connect` (ProxyAgent tunnels with it); the
 * transport itself calls `dispatch`. request/stream/pipeline would pull in fetch's body code.
 */
export const UNDICI_PARTS = {
  Agent: 'undici/lib/dispatcher/agent.js',
  EnvHttpProxyAgent: 'undici/lib/dispatcher/env-http-proxy-agent.js',
};
export const UNDICI_DISPATCHER = 'undici/lib/dispatcher/dispatcher.js';
export const UNDICI_CONNECT = 'undici/lib/api/api-connect.js';

/**
 * The undici version these deep imports were checked against (test/unit/cli/build-canary.test.ts pins
 * it): after an upgrade, check that the files above still hold what they held, then raise this.
 */
export const UNDICI_CHECKED = '7.30.2';
