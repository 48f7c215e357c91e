/** Shared helpers for the endpoint tests: signed raw requests over node:http to a real endpoint. */
import { request } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { DEMO_CREDENTIALS, DEMO_REGION } from '../../../src/common/demo.ts';
import { signRequest } from '../../../src/node/signing/sign.ts';

export const HEARTBEAT = {
  AgentVersion: '1.2.3',
  DeviceName: 'camera-017',
  DeviceFleetName: 'warehouse-east',
  AgentMetrics: [{ Dimension: 'agent', MetricName: 'cpu-utilization', Value: 12.5, Timestamp: 1_763_797_703 }],
  Models: [
    {
      ModelName: 'resnet-50',
      ModelVersion: '3',
      LatestSampleTime: 1_763_797_700,
      LatestInference: 1_763_797_701,
      ModelMetrics: [{ Dimension: 'model', MetricName: 'latency-ms', Value: 8.1, Timestamp: 1_763_797_702 }],
    },
  ],
};

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: () => Record<string, unknown>;
}

/** Sends exactly these headers and bytes (node:http adds only Host and Content-Length/Connection). */
export function rawRequest(
  url: string,
  init: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  const target = new URL(init.path ?? '/', url);
  return new Promise((resolve, reject) => {
    const req = request(target, { method: init.method ?? 'POST', headers: init.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) as Record<string, unknown> });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

export interface SignedInit {
  operation?: string;
  body?: string | object;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  region?: string;
  service?: string;
  signingDate?: Date;
  headers?: Record<string, string>;
  query?: string;
  /** Content-Type to send and sign; null sends none. Default application/json. */
  contentType?: string | null;
}

/** A request signed by the project's signer (@smithy/signature-v4, the SDK's library). */
export async function signed(url: string, init: SignedInit = {}): Promise<{ path: string; headers: Record<string, string>; body: string }> {
  const body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body ?? HEARTBEAT);
  const path = `/${init.operation ?? 'SendHeartbeat'}${init.query ? `?${init.query}` : ''}`;
  const s = await signRequest(
    {
      method: 'POST',
      url: new URL(path, url).href,
      headers: { ...(init.contentType === null ? {} : { 'content-type': init.contentType ?? 'application/json' }), ...init.headers },
      body,
    },
    init.credentials ?? DEMO_CREDENTIALS,
    {
      region: init.region ?? DEMO_REGION,
      ...(init.service ? { service: init.service } : {}),
      ...(init.signingDate ? { signingDate: init.signingDate } : {}),
    },
  );
  return { path, headers: s.headers, body };
}

export async function sendSigned(url: string, init: SignedInit = {}): Promise<RawResponse> {
  const s = await signed(url, init);
  return rawRequest(url, { path: s.path, headers: s.headers, body: s.body });
}

/** Signs raw bytes (the project signer takes text), e.g. a body that is not UTF-8. */
export async function sendSignedBytes(url: string, operation: string, body: Buffer): Promise<RawResponse> {
  const target = new URL(`/${operation}`, url);
  const signer = new SignatureV4({
    credentials: DEMO_CREDENTIALS,
    region: DEMO_REGION,
    service: 'sagemaker',
    sha256: Hash.bind(null, 'sha256'),
  });
  const s = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: target.hostname,
      port: Number(target.port),
      path: target.pathname,
      headers: { host: target.host, 'content-type': 'application/json' },
      body,
    }),
  );
  return rawRequest(url, { path: target.pathname, headers: s.headers as Record<string, string>, body });
}
