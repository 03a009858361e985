// Signs requests with the JavaScript SigV4 signers @smithy/signature-v4 and
// aws4, for sigv4_test.go: the sigv4temp Verifier must accept what they sign.
// Reads a JSON list of cases on stdin, writes a JSON list of
// {url, headers: [[name, value], ...]} on stdout. Test tooling only.
"use strict";
const { SignatureV4 } = require("@smithy/signature-v4");
const { Hash } = require("@smithy/hash-node");
const aws4 = require("aws4");
const crypto = require("crypto");

function parseDate(ts) {
  // yyyymmddThhmmssZ
  return new Date(Date.UTC(+ts.slice(0, 4), +ts.slice(4, 6) - 1, +ts.slice(6, 8), +ts.slice(9, 11), +ts.slice(11, 13), +ts.slice(13, 15)));
}

function queryObject(search) {
  const q = {};
  for (const [k, v] of new URLSearchParams(search)) {
    if (k in q) q[k] = [].concat(q[k], v);
    else q[k] = v;
  }
  return q;
}

function queryString(q) {
  const parts = [];
  for (const [k, v] of Object.entries(q)) {
    for (const x of [].concat(v)) parts.push(encodeURIComponent(k) + "=" + encodeURIComponent(x));
  }
  return parts.join("&");
}

async function smithy(c, u, body) {
  const signer = new SignatureV4({
    credentials: { accessKeyId: c.akid, secretAccessKey: c.secret, sessionToken: c.token || undefined },
    region: c.region, service: c.service, sha256: Hash.bind(null, "sha256"), uriEscapePath: !c.s3,
  });
  const headers = { host: u.host };
  for (const [k, v] of c.headers || []) headers[k] = v;
  if (body.length > 0) headers["content-length"] = String(body.length);
  if (c.s3) {
    headers["x-amz-content-sha256"] = c.mode === "query" ? "UNSIGNED-PAYLOAD" : crypto.createHash("sha256").update(body).digest("hex");
  }
  const req = { method: c.method, protocol: "https:", hostname: u.host, path: u.pathname, query: queryObject(u.search), headers, body };
  const date = parseDate(c.timestamp);
  const signed = c.mode === "header"
    ? await signer.sign(req, { signingDate: date })
    : await signer.presign(req, { signingDate: date, expiresIn: c.expires });
  const qs = queryString(signed.query || {});
  return { url: "https://" + u.host + signed.path + (qs ? "?" + qs : ""), headers: Object.entries(signed.headers).map(([k, v]) => [k, String(v)]) };
}

function awsFour(c, u, body) {
  const headers = {};
  for (const [k, v] of c.headers || []) headers[k] = v;
  let path = u.pathname + u.search;
  const opts = { host: u.host, method: c.method, service: c.service, region: c.region, headers, body: body.length ? body : undefined };
  if (c.mode === "query") {
    path += (u.search ? "&" : "?") + "X-Amz-Date=" + c.timestamp + "&X-Amz-Expires=" + c.expires;
    opts.signQuery = true;
  } else {
    headers["X-Amz-Date"] = c.timestamp;
  }
  opts.path = path;
  const signed = aws4.sign(opts, { accessKeyId: c.akid, secretAccessKey: c.secret, sessionToken: c.token || undefined });
  return { url: "https://" + u.host + signed.path, headers: Object.entries(signed.headers).map(([k, v]) => [k, String(v)]) };
}

async function main() {
  let input = "";
  for await (const chunk of process.stdin) input += chunk;
  const out = [];
  for (const c of JSON.parse(input)) {
    const u = new URL(c.url);
    const body = c.body ? Buffer.from(c.body, "base64") : Buffer.alloc(0);
    out.push(c.signer === "aws4" ? awsFour(c, u, body) : await smithy(c, u, body));
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => { console.error(e); process.exit(1); });
