/**
 * The app's sends: HeartbeatApi's send, cancel and replay (of a history entry) over the one send service
 * (src/node/services/send-service.ts). This adds what the UI needs: the payload checked first, the target
 * and credentials resolved from the UI's choices, sends in flight by the UI's id (to cancel), and the
 * result shaped for the UI (the signature report without its signature, the key id cut to 4 characters).
 */
import { randomBytes } from 'node:crypto';
import type { CredentialRef, HeartbeatApi, SendRequest, SendResult, SignatureReport, TargetSpec } from '../../common/api.ts';
import { DEMO_CREDENTIALS } from '../../common/demo.ts';
import { isAppError } from '../../common/errors.ts';
import type { TargetRecord } from '../../common/log/entry.ts';
import { isOperation } from '../../common/model/index.ts';
import { checkText } from '../../common/validation/check-text.ts';
import type { SendHandle } from '../engine/send.ts';
import type { HistoryStore } from '../history/store.ts';
import type { SendService } from '../services/send-service.ts';
import type { SigningReport } from '../signing/report.ts';
import { resolveTarget } from '../targets/target.ts';
import { HostError } from './host-error.ts';
import { requestForUi } from './history-view.ts';

function reportOf(report: SigningReport | undefined): SignatureReport | undefined {
  if (!report) return undefined;
  const { algorithm, amzDate, credentialScope, signedHeaders, canonicalRequest, stringToSign, accessKeyIdLast4 } = report;
  return { algorithm, amzDate, credentialScope, signedHeaders, canonicalRequest, stringToSign, accessKeyIdLast4 };
}

export interface SendApiDeps {
  sends: SendService;
  store: HistoryStore;
  endpoint: { url: string; region: string };
  credentialsOf(ref: CredentialRef): Promise<import('../credentials/credentials.ts').Credentials>;
  settings(): { timeoutMs: number; maxAttempts: number };
}

export interface SendApi {
  api: Pick<HeartbeatApi, 'send' | 'cancel' | 'replay'>;
  inFlight(): number;
  /** The target a UI choice names (the fleet service resolves its runs' targets the same way). */
  targetOf(spec: TargetSpec): TargetRecord;
  cancelAll(): void;
}

export function createSendApi(deps: SendApiDeps): SendApi {
  const inFlight = new Map<string, SendHandle>();

  function targetOf(spec: TargetSpec): TargetRecord {
    try {
      if (spec.kind === 'local') return resolveTarget({ kind: 'local', url: deps.endpoint.url, region: deps.endpoint.region });
      if (spec.kind === 'region') return resolveTarget({ kind: 'region', region: spec.region, ...(spec.fips ? { fips: true } : {}) });
      return resolveTarget({ kind: 'url', url: spec.url, region: spec.region });
    } catch (error) {
      throw new HostError(isAppError(error) ? error.message : 'The target is not one the host understands.', 'TARGET');
    }
  }

  async function dispatch(input: SendRequest & { tags?: string[] }): Promise<SendResult> {
    if (inFlight.has(input.id)) throw new HostError('A send with this id is already in flight; wait for it or cancel it.', 'CONFLICT');
    if (!input.options?.skipValidation) {
      const first = checkText(input.body, input.operation).problems;
      if (first[0]) {
        const more = first.length - 1;
        throw new HostError(
          `The request is not valid: ${first[0].path || 'the document'}: ${first[0].message}${more > 0 ? ` (and ${more} more problem${more === 1 ? '' : 's'})` : ''}`,
          'INVALID_PAYLOAD',
        );
      }
    }
    const target = targetOf(input.target);
    const credentials = await deps.credentialsOf(input.credentials);
    const settings = deps.settings();
    const handle = await deps.sends.send({
      operation: input.operation,
      body: input.body,
      target,
      credentials,
      maxAttempts: input.options?.maxAttempts ?? settings.maxAttempts,
      ...(input.options?.timeoutMs !== undefined ? { timeoutMs: input.options.timeoutMs } : {}),
      ...(input.tags ? { tags: input.tags } : {}),
    });
    inFlight.set(input.id, handle);
    try {
      const result = await handle.response;
      const signature = reportOf(result.report);
      return {
        id: input.id,
        historyId: result.id,
        request: requestForUi(result.request),
        outcome: result.outcome,
        attempts: result.attempts,
        ...(result.timings ? { timings: result.timings } : {}),
        ...(signature ? { signature } : {}),
      };
    } finally {
      inFlight.delete(input.id);
    }
  }

  const api: SendApi['api'] = {
    send: (request) => dispatch(request),
    async cancel(id) {
      const handle = inFlight.get(id);
      if (!handle) return false;
      handle.cancel();
      return true;
    },
    async replay(id, overrides = {}) {
      const stored = await deps.store.index.get(id);
      if (!stored) throw new HostError('That history entry no longer exists; refresh the history.', 'NOT_FOUND');
      if (stored.run) throw new HostError("That entry is a fleet run's summary, not a request, so it cannot be sent again.");
      const { request } = stored;
      if (!isOperation(request.operation))
        throw new HostError('That entry is not a request to an operation of the service, so it cannot be sent again.');
      const original: TargetSpec =
        request.type === 'exchange' || request.target.kind === 'local'
          ? { kind: 'local' }
          : request.target.kind === 'region'
            ? { kind: 'region', region: request.target.region }
            : { kind: 'url', url: request.target.url, region: request.target.region };
      const target = overrides.target ?? original;
      // Without credentials given, the ones it was signed with: demo keys when its key id is the demo one.
      const keyId = /Credential=([^/,\s]+)\//.exec(request.request.headers.authorization ?? '')?.[1];
      const signedWithDemo = keyId === DEMO_CREDENTIALS.accessKeyId || request.type === 'exchange' || request.target.kind === 'local';
      return dispatch({
        id: overrides.sendId ?? `replay-${randomBytes(8).toString('hex')}`,
        operation: request.operation,
        body: request.request.body,
        target,
        credentials: overrides.credentials ?? (target.kind === 'local' || signedWithDemo ? { kind: 'demo' } : { kind: 'default-chain' }),
        options: { skipValidation: true, ...overrides.options },
        tags: [`replay-of:${id}`],
      });
    },
  };
  return {
    api,
    inFlight: () => inFlight.size,
    targetOf,
    cancelAll: () => inFlight.forEach((handle) => handle.cancel()),
  };
}
