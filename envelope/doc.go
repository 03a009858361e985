// Package envelope does envelope encryption (KMS or raw keys) in the AWS
// Encryption SDK message format (version 2, with key commitment), the format
// every AWS Encryption SDK reads and writes. The interop module tests both
// directions against the JavaScript SDK (@aws-crypto/client-node 5.0.2) and
// the official AWS Encryption SDK for Go (v0.4.0), and decryption of format
// v1 messages built from the specification; the other SDKs (Java, Python, C,
// the CLI) share the format but are not run in the tests.
//
// # Envelope encryption
//
// KMS GenerateDataKey returns a 32-byte data key in clear and the same key
// encrypted under a KMS key. The message is encrypted locally under keys
// derived from the data key, the clear data key is wiped, and the encrypted
// data key travels in the message header. To read, KMS Decrypt recovers the
// data key. KMS never sees the data, and one KMS call serves one message
// (many, with Options.Cache).
//
// # The format
//
// A message is a header, a framed body and, for the signed suite, a footer:
//
//   - Header: version 2, the suite, a random 32-byte message ID, the
//     encryption context (authenticated, stored in clear, sent to KMS), the
//     encrypted data keys (provider "aws-kms", the KMS key ARN, the
//     ciphertext), the frame length, a 32-byte commit key, and an AES-GCM tag
//     over all of it.
//   - Body: frames of FrameLength plaintext bytes, each AES-256-GCM with its
//     own IV (its sequence number) and AAD (message ID, frame kind, sequence
//     number, length); a final frame, possibly empty, carries the rest.
//   - Footer (SuiteCommitKeyECDSAP384, the default): an ECDSA P-384 signature
//     over header and body, whose public key is in the encryption context
//     under aws-crypto-public-key.
//
// Keys come from HKDF-SHA512 over the data key with the message ID as salt:
// the content key, and the commit key that binds the ciphertext to exactly
// one data key (so a message cannot decrypt to two plaintexts).
//
// # Use
//
// [New] takes a KMS client (the subset [KMS] of *kms.Client, or
// envelope/kmstest's in-memory one) and a key ARN. [Client.Encrypt] and
// [Client.Decrypt] work on whole messages; [Client.EncryptStream] and
// [Client.DecryptStream] on streams of any size in bounded memory.
// [Client.DecryptWithHeader] and [Reader.Header] return the authenticated
// header: check there the suite and the encryption context you trust.
// [ParseHeader] reads a header without decrypting. A streaming consumer
// that must never see plaintext of a message that has not been fully
// authenticated sets Options.UnsignedOnly: signed messages, whose signature
// comes at the end, are then refused before any KMS call.
//
// # Options
//
// One rule for every constructor and I/O call: required inputs are
// positional, then optFns ...func(*XOptions) over an exported options struct
// whose zero value means the documented defaults; context.Context comes
// first in anything that calls KMS. So New(kms, keyID, optFns
// ...func(*Options)) and NewCache(maxAge, optFns ...func(*CacheOptions)).
// New and NewCache copy what they are given (slices included): changing an
// Options value after the call changes nothing.
//
// A [Cache] (Options.Cache) lets many messages share one data key, within
// the AWS Encryption SDK's limits, so that they cost one KMS call; read its
// documentation for the security trade-off. Clients share cache entries
// only when given the same Options.CachePartition.
//
// With New, decryption is strict: only encrypted data keys whose provider
// is "aws-kms" and whose key ARN is one the Client was configured with (or,
// for a multi-Region key, its replica in another Region) are sent to KMS.
// The encryption context passed to Decrypt lists pairs that must be present.
//
// # Keyrings
//
// A [Keyring] gets and wraps the data key; [NewWithKeyring] takes one, and
// New is the short form for KMS keys. The keyrings are the AWS Encryption
// SDKs', with the same wire format, so messages interoperate both ways:
//
//   - [KMSKeyring]: one KMS key, strict, multi-Region key aware; grant
//     tokens on every call ([KMSKeyringOptions]).
//   - [KMSDiscoveryKeyring]: decrypts with whatever KMS key a message names,
//     limited by a [DiscoveryFilter] (partition and accounts); optionally
//     multi-Region key aware in one Region. It cannot encrypt.
//   - [RawAESKeyring]: an AES key the caller holds, no KMS at all.
//   - [RawRSAKeyring]: an RSA key pair; a public key alone encrypts (escrow),
//     a private key alone decrypts.
//   - [MultiKeyring]: a generator and children: every one wraps the data
//     key, any one opens the message.
//
// The Cache works with every keyring.
//
// # Older messages
//
// Decryption also reads every message the AWS Encryption SDKs have written:
// message format version 1 with the nine non-committing suites (the SDKs'
// default before 2.0 was [SuiteAES256HKDFSHA384ECDSAP384]), framed or
// non-framed. Those suites do not commit to the data key, so the default
// [CommitmentPolicy] refuses them with [ErrCommitmentPolicy] before any key
// is asked for; RequireEncryptAllowDecrypt reads them during a migration.
// Encryption always writes a committing suite, framed. A non-framed body is
// released only after its tag verifies, so DecryptStream holds it whole,
// up to Options.MaxFrameLength.
//
// # Concurrency
//
// A [Client] is safe for concurrent use; the streams it returns are not
// (one goroutine at a time calls Write and Close, or Read and WriteTo).
// Options.Concurrency sets how many goroutines seal or open the frames of
// one message: 0, the default, means GOMAXPROCS, and 1 the serial path
// (everything in the calling goroutine). Frames are independent (each has
// its own IV and AAD), so the bytes written are the same whatever the
// setting. [Client.EncryptStream] and [Client.DecryptStream] go parallel
// after their first 128 KiB: worker goroutines, started on demand and
// ending as soon as no frame waits, only seal or open frames in the
// stream's own ring of 2·Concurrency groups of frames (a frame, or 64 KiB
// of small ones); the caller's goroutine alone reads src and writes dst,
// hashes the frames for the signature in order, and writes or releases
// them strictly in order. A frame that fails stops the stream: no
// plaintext of a later frame is released. An abandoned stream needs no
// Close: its goroutines end once the frames in flight are done.
//
// # Errors and secrets
//
// Every failure caused by the message bytes or by the encryption context
// required of it matches [ErrDecrypt]; failed authentication is ErrDecrypt
// alone, with no detail, and other failures also match a specific error:
// [ErrMalformed] (with sizes and field names), [ErrNoKey],
// [ErrContextMismatch], [ErrSignedMessage]. A KMS failure that is not the
// message's (throttling, access denied) does not match ErrDecrypt. KMS errors are
// wrapped with the SDK error reachable by errors.As (smithy.APIError). No
// data key, derived key or plaintext reaches an error, a log, or fmt output:
// the stream types redact themselves.
//
// # References
//
//   - AWS Encryption SDK message format:
//     https://docs.aws.amazon.com/encryption-sdk/latest/developer-guide/message-format.html
//   - The specification: https://github.com/awslabs/aws-encryption-sdk-specification
//   - Key commitment: https://docs.aws.amazon.com/encryption-sdk/latest/developer-guide/concepts.html#key-commitment
//   - Keyrings: https://docs.aws.amazon.com/encryption-sdk/latest/developer-guide/choose-keyring.html
//   - Migrating from non-committing suites: https://docs.aws.amazon.com/encryption-sdk/latest/developer-guide/migration.html
package envelope
