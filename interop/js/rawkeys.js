// Encrypts and decrypts files with the JavaScript AWS Encryption SDK under
// raw AES, raw RSA and KMS keyrings (a multi-keyring when several are given):
// the raw-key peer of awskit/envelope's interop tests. One process runs a
// whole batch, so that a matrix of hundreds of cases costs one Node start.
//
//   node rawkeys.js CASES_FILE RESULTS_FILE
//
// CASES_FILE is a JSON array of cases {"mode": "encrypt"|"decrypt",
// "policy": "require"|"allow"|"forbid", "suite": "0478", "frameLength": 4096,
// "context": {...}, "keyrings": [K, ...], "in": FILE, "out": FILE}; the first
// keyring is the generator, the others children. K is one of
//   {"type": "aes", "namespace": N, "name": N, "key": HEX}
//   {"type": "rsa", "namespace": N, "name": N, "padding": "PKCS1"|"OAEP-SHA1"|...,
//    "public": PEM_FILE, "private": PEM_FILE}   (either may be "")
//   {"type": "kms", "endpoint": URL, "key": ARN}
// It writes to RESULTS_FILE a JSON array with one result per case: {"error": "..."} or, for
// decrypt, the header's version, suite, content type, frame length and
// encryption context (the plaintext is written to "out").
'use strict'
const fs = require('fs')
const crypto = require('crypto')
const {
  RawAesKeyringNode, RawAesWrappingSuiteIdentifier, RawRsaKeyringNode, KmsKeyringNode,
  MultiKeyringNode, buildClient, CommitmentPolicy, getClient
} = require('@aws-crypto/client-node')
const { KMS } = require('@aws-sdk/client-kms')

const policies = {
  require: CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT,
  allow: CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT,
  forbid: CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT
}

const aesSuites = {
  16: RawAesWrappingSuiteIdentifier.AES128_GCM_IV12_TAG16_NO_PADDING,
  24: RawAesWrappingSuiteIdentifier.AES192_GCM_IV12_TAG16_NO_PADDING,
  32: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING
}

function keyring (k) {
  switch (k.type) {
    case 'aes': {
      const key = Buffer.from(k.key, 'hex')
      return new RawAesKeyringNode({
        keyNamespace: k.namespace, keyName: k.name, unencryptedMasterKey: new Uint8Array(key), wrappingSuite: aesSuites[key.length]
      })
    }
    case 'rsa': {
      const rsaKey = {}
      if (k.public) rsaKey.publicKey = fs.readFileSync(k.public, 'utf8')
      if (k.private) rsaKey.privateKey = fs.readFileSync(k.private, 'utf8')
      const input = { keyNamespace: k.namespace, keyName: k.name, rsaKey }
      if (k.padding === 'PKCS1') {
        input.padding = crypto.constants.RSA_PKCS1_PADDING
      } else {
        input.padding = crypto.constants.RSA_PKCS1_OAEP_PADDING
        input.oaepHash = k.padding.replace('OAEP-', '').toLowerCase()
      }
      return new RawRsaKeyringNode(input)
    }
    case 'kms': {
      const clientProvider = getClient(KMS, {
        endpoint: k.endpoint, credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' }
      })
      return new KmsKeyringNode({ clientProvider, generatorKeyId: k.key })
    }
  }
  throw new Error('unknown keyring type ' + k.type)
}

function keyrings (c) {
  const all = c.keyrings.map(keyring)
  if (all.length === 1) return all[0]
  return new MultiKeyringNode({ generator: all[0], children: all.slice(1) })
}

async function run (c) {
  const { encrypt, decrypt } = buildClient(policies[c.policy || 'require'])
  if (c.mode === 'encrypt') {
    const { result } = await encrypt(keyrings(c), fs.readFileSync(c.in), {
      suiteId: parseInt(c.suite, 16),
      frameLength: c.frameLength,
      encryptionContext: c.context || {}
    })
    fs.writeFileSync(c.out, result)
    return {}
  }
  if (c.mode === 'decrypt') {
    const { plaintext, messageHeader } = await decrypt(keyrings(c), fs.readFileSync(c.in))
    fs.writeFileSync(c.out, plaintext)
    return {
      version: messageHeader.version,
      suiteId: messageHeader.suiteId,
      contentType: messageHeader.contentType,
      frameLength: messageHeader.frameLength,
      encryptionContext: messageHeader.encryptionContext
    }
  }
  throw new Error('mode must be encrypt or decrypt')
}

async function main () {
  const cases = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))
  const results = []
  for (const c of cases) {
    try {
      results.push(await run(c))
    } catch (err) {
      results.push({ error: String(err && err.message ? err.message : err) })
    }
  }
  fs.writeFileSync(process.argv[3], JSON.stringify(results))
}

main().catch(err => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + '\n')
  process.exit(1)
})
