// The AWS Encryption SDK test-vector framework's raw-key cases, with the
// JavaScript ESDK as the known-good implementation
// (awslabs/aws-crypto-tools-test-vector-framework: 0002-keys,
// 0003-awses-message-encryption, 0004-awses-message-decryption).
//
//   node vectors.js encrypt KEYS_MANIFEST ENCRYPT_MANIFEST OUT_DIR
//     writes OUT_DIR/manifest.json (an awses-decrypt manifest, version 2),
//     the ciphertexts and the plaintexts; cases the JavaScript ESDK refuses
//     are listed under "refused" with the reason.
//   node vectors.js decrypt KEYS_MANIFEST DECRYPT_MANIFEST RESULTS_FILE
//     decrypts every test of an awses-decrypt manifest and writes, per test
//     ID, "ok" or the error.
'use strict'
const fs = require('fs')
const path = require('path')
const crypto = require('crypto')
const {
  RawAesKeyringNode, RawAesWrappingSuiteIdentifier, RawRsaKeyringNode, MultiKeyringNode,
  buildClient, CommitmentPolicy
} = require('@aws-crypto/client-node')

const aesSuites = {
  128: RawAesWrappingSuiteIdentifier.AES128_GCM_IV12_TAG16_NO_PADDING,
  192: RawAesWrappingSuiteIdentifier.AES192_GCM_IV12_TAG16_NO_PADDING,
  256: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING
}

function material (key) {
  return key.material.join(key['line-separator'] || '')
}

function keyring (keys, mk) {
  if (mk.type !== 'raw') throw new Error('only raw master keys: ' + mk.type)
  const key = keys[mk.key]
  if (mk['encryption-algorithm'] === 'aes') {
    return new RawAesKeyringNode({
      keyNamespace: mk['provider-id'],
      keyName: mk.key,
      unencryptedMasterKey: new Uint8Array(Buffer.from(material(key), 'base64')),
      wrappingSuite: aesSuites[key.bits]
    })
  }
  const rsaKey = {}
  if (key.type === 'private') {
    rsaKey.privateKey = material(key)
    rsaKey.publicKey = crypto.createPublicKey(rsaKey.privateKey).export({ type: 'spki', format: 'pem' })
  } else {
    rsaKey.publicKey = material(key)
  }
  const input = { keyNamespace: mk['provider-id'], keyName: mk.key, rsaKey }
  if (mk['padding-algorithm'] === 'pkcs1') {
    input.padding = crypto.constants.RSA_PKCS1_PADDING
  } else {
    input.padding = crypto.constants.RSA_PKCS1_OAEP_PADDING
    input.oaepHash = mk['padding-hash']
  }
  return new RawRsaKeyringNode(input)
}

function keyrings (keys, mks) {
  const all = mks.map(mk => keyring(keys, mk))
  return all.length === 1 ? all[0] : new MultiKeyringNode({ generator: all[0], children: all.slice(1) })
}

function fileURI (dir, name) { return 'file://' + name }
function readURI (base, uri) { return fs.readFileSync(path.join(base, uri.replace(/^file:\/\//, ''))) }

async function encryptAll (keysFile, manifestFile, outDir) {
  const keys = JSON.parse(fs.readFileSync(keysFile)).keys
  const manifest = JSON.parse(fs.readFileSync(manifestFile))
  const plaintexts = {}
  fs.mkdirSync(path.join(outDir, 'plaintexts'), { recursive: true })
  fs.mkdirSync(path.join(outDir, 'ciphertexts'), { recursive: true })
  for (const [name, size] of Object.entries(manifest.plaintexts)) {
    plaintexts[name] = crypto.randomBytes(size)
    fs.writeFileSync(path.join(outDir, 'plaintexts', name), plaintexts[name])
  }
  const out = { manifest: { type: 'awses-decrypt', version: 2 }, keys: 'file://' + path.resolve(keysFile), tests: {}, refused: {} }
  for (const [id, t] of Object.entries(manifest.tests)) {
    const committing = t.algorithm === '0478' || t.algorithm === '0578'
    const { encrypt } = buildClient(committing ? CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT : CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT)
    try {
      const { result } = await encrypt(keyrings(keys, t['master-keys']), plaintexts[t.plaintext], {
        suiteId: parseInt(t.algorithm, 16), frameLength: t['frame-size'], encryptionContext: t['encryption-context']
      })
      fs.writeFileSync(path.join(outDir, 'ciphertexts', id), result)
      out.tests[id] = {
        ciphertext: fileURI(outDir, 'ciphertexts/' + id),
        'master-keys': t['master-keys'],
        result: { output: { plaintext: fileURI(outDir, 'plaintexts/' + t.plaintext) } }
      }
    } catch (err) {
      out.refused[id] = String(err && err.message ? err.message : err)
    }
  }
  fs.writeFileSync(path.join(outDir, 'manifest.json'), JSON.stringify(out))
}

async function decryptAll (keysFile, manifestFile, resultsFile) {
  const keys = JSON.parse(fs.readFileSync(keysFile)).keys
  const manifest = JSON.parse(fs.readFileSync(manifestFile))
  const base = path.dirname(manifestFile)
  const { decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT)
  const results = {}
  for (const [id, t] of Object.entries(manifest.tests)) {
    try {
      const { plaintext } = await decrypt(keyrings(keys, t['master-keys']), readURI(base, t.ciphertext))
      const want = readURI(base, t.result.output.plaintext)
      results[id] = Buffer.compare(Buffer.from(plaintext), want) === 0 ? 'ok' : 'plaintext differs'
    } catch (err) {
      results[id] = String(err && err.message ? err.message : err)
    }
  }
  fs.writeFileSync(resultsFile, JSON.stringify(results))
}

const [mode, keysFile, manifestFile, out] = process.argv.slice(2)
const run = mode === 'encrypt' ? encryptAll : mode === 'decrypt' ? decryptAll : null
if (!run) {
  process.stderr.write('mode must be encrypt or decrypt\n')
  process.exit(2)
}
run(keysFile, manifestFile, out).catch(err => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + '\n')
  process.exit(1)
})
