// Readiness probe for the local RGW: creates the bucket if needed, writes a probe object, reads it back and deletes
// it, signing with AWS Signature V4 (path-style, unsigned payload). Exits 0 when all of that worked, 1 otherwise.
// Usage: node s3-ready.js <endpoint> <bucket> (credentials in AWS_ACCESS_KEY / AWS_SECRET_KEY, region in AWS_REGION).
'use strict';
const crypto = require('crypto');
const http = require('http');

const [endpoint, bucket] = process.argv.slice(2);
const accessKey = process.env.AWS_ACCESS_KEY;
const secretKey = process.env.AWS_SECRET_KEY;
const region = process.env.AWS_REGION || 'us-east-1';

const hmac = (key, text) => crypto.createHmac('sha256', key).update(text).digest();
const sha256 = (text) => crypto.createHash('sha256').update(text).digest('hex');

function request(method, path, body) {
  const url = new URL(path, endpoint);
  const now = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = now.slice(0, 8);
  const payloadHash = 'UNSIGNED-PAYLOAD';
  const headers = { host: url.host, 'x-amz-content-sha256': payloadHash, 'x-amz-date': now };
  const signed = Object.keys(headers).sort();
  const canonical = [method, url.pathname, '', ...signed.map((h) => `${h}:${headers[h]}`), '', signed.join(';'), payloadHash].join('\n');
  const scope = `${day}/${region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', now, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac('AWS4' + secretKey, day), region), 's3'), 'aws4_request');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${accessKey}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${hmac(key, toSign).toString('hex')}`;
  if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, timeout: 5000 }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

(async () => {
  const created = await request('PUT', `/${bucket}`);
  if (created.status !== 200 && !created.text.includes('BucketAlreadyOwnedByYou')) throw new Error(`create bucket: ${created.status} ${created.text}`);
  const probe = `/${bucket}/.local-services-probe`;
  const put = await request('PUT', probe, 'ready');
  if (put.status !== 200) throw new Error(`probe write: ${put.status} ${put.text}`);
  const get = await request('GET', probe);
  if (get.status !== 200 || get.text !== 'ready') throw new Error(`probe read: ${get.status}`);
  const del = await request('DELETE', probe);
  if (del.status !== 204) throw new Error(`probe delete: ${del.status}`);
})().then(() => process.exit(0), (error) => {
  if (process.env.PROBE_VERBOSE) console.error(error.message);
  process.exit(1);
});
