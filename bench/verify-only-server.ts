/**
 * A bench floor for the embedded endpoint: the trivial node:http server of bench/servers.ts plus the
 * endpoint's SigV4 verifier (src/node/endpoint/verify-signature.ts) and nothing else — no JSON parse,
 * no validation, no registry, no request id. The endpoint cannot be faster than this.
 */
import { createServer } from 'node:http';
import { DEMO_CREDENTIALS } from '../src/common/demo.ts';
import { SignatureVerifier } from '../src/node/endpoint/verify-signature.ts';

const verifier = new SignatureVerifier({ credentials: [DEMO_CREDENTIALS], region: '*', service: 'sagemaker', clockSkewSeconds: 300 });
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const verified = verifier.verify({
      method: req.method ?? '',
      path: q < 0 ? url : url.slice(0, q),
      query: q < 0 ? '' : url.slice(q + 1),
      headers: req.headersDistinct,
      body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks),
    });
    res.writeHead('accessKeyId' in verified ? 200 : 403, { 'content-type': 'application/json', 'content-length': 0 }).end();
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
});
