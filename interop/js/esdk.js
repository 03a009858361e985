// Encrypts or decrypts a file with the JavaScript AWS Encryption SDK, through
// the KMS endpoint given: the peer of awskit/envelope's interop tests.
//
//   node esdk.js encrypt ENDPOINT KEY_ARN SUITE_ID FRAME_LENGTH CONTEXT_JSON IN OUT [ADDITIONAL_KEY_ARN...]
//   node esdk.js decrypt ENDPOINT KEY_ARN IN OUT
//
// On decrypt it writes the plaintext to OUT and prints the header's suite,
// frame length and encryption context as JSON.
'use strict'
const fs = require('fs')
const { KmsKeyringNode, buildClient, CommitmentPolicy, getClient } = require('@aws-crypto/client-node')
const { KMS } = require('@aws-sdk/client-kms')

const { encrypt, decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)

function keyring (endpoint, generatorKeyId, keyIds) {
  const clientProvider = getClient(KMS, {
    endpoint,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' }
  })
  return new KmsKeyringNode({ clientProvider, generatorKeyId, keyIds })
}

async function main () {
  const [mode, endpoint, keyArn, ...rest] = process.argv.slice(2)
  if (mode === 'encrypt') {
    const [suite, frameLength, context, inFile, outFile, ...additional] = rest
    const { result } = await encrypt(keyring(endpoint, keyArn, additional), fs.readFileSync(inFile), {
      suiteId: parseInt(suite, 16),
      frameLength: parseInt(frameLength, 10),
      encryptionContext: JSON.parse(context)
    })
    fs.writeFileSync(outFile, result)
  } else if (mode === 'decrypt') {
    const [inFile, outFile] = rest
    const { plaintext, messageHeader } = await decrypt(keyring(endpoint, keyArn, []), fs.readFileSync(inFile))
    fs.writeFileSync(outFile, plaintext)
    process.stdout.write(JSON.stringify({
      suiteId: messageHeader.suiteId,
      frameLength: messageHeader.frameLength,
      encryptionContext: messageHeader.encryptionContext
    }))
  } else {
    throw new Error('mode must be encrypt or decrypt')
  }
}

main().catch(err => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + '\n')
  process.exit(1)
})
