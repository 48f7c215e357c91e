/**
 * The embedded endpoint's documented demo key pair. It is accepted only by the embedded endpoint on
 * loopback, so it is safe to print, show in the UI and put in docs; it opens nothing at AWS.
 */
export const DEMO_CREDENTIALS = Object.freeze({
  accessKeyId: 'AKIAHBCOMPOSERDEMO01',
  secretAccessKey: 'hbcDemoSecret/OnlyForTheEmbeddedEndpoint',
});

/** The region the embedded endpoint signs for unless told otherwise. */
export const DEMO_REGION = 'us-east-1';

/** Where `heartbeat serve` (and the endpoint `heartbeat ui` starts) listens by default. */
export const DEFAULT_ENDPOINT_PORT = 8787;

/** What `GET /__admin/health` of the embedded endpoint answers as `service`, so clients can tell it is ours. */
export const ENDPOINT_SERVICE_ID = 'heartbeat-composer-endpoint';
