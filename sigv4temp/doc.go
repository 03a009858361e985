// Package sigv4temp signs HTTP requests with AWS Signature Version 4 and
// temporary credentials from STS (AssumeRole, GetSessionToken,
// GetFederationToken, web identity, the EC2/ECS/Lambda role providers): an
// ASIA... access key ID, a secret, and a session token, which must travel in
// X-Amz-Security-Token or AWS answers "The security token included in the
// request is invalid".
//
// It wraps the SDK's signer (aws/signer/v4); it does not reimplement SigV4.
// What it adds removes the traps of using that signer by hand:
//
//   - Re-signing: [Signer.Sign] merges header keys that differ only in case
//     and removes the Authorization, X-Amz-Date and X-Amz-Security-Token of
//     an earlier signature, so signing twice equals signing once, the
//     signature does not depend on map order, and rotated credentials never
//     carry a stale token.
//   - Presigning: [Signer.Presign] always sets X-Amz-Expires, refuses more
//     than 7 days or a URL that outlives its credentials (or clamps it, with
//     ClampExpiry), and never modifies the request.
//   - Per-service defaults, as botocore's signers: S3 ("s3",
//     "s3-object-lambda", "s3express") gets its path encoded once,
//     x-amz-content-sha256, and UNSIGNED-PAYLOAD presigned URLs ("s3express"
//     sends its token in X-Amz-S3session-Token); other services get their
//     signed path normalized (dot and empty segments removed) and encoded
//     twice.
//   - Nothing dropped: a query string that does not parse is refused
//     ([ErrInvalid]) instead of losing pairs; the pairs sent keep their
//     order.
//   - Derived keys: the SDK's signer caches its signing key by access key ID
//     and day, ignoring the secret; a [Signer] keeps one SDK signer per (key
//     ID, secret) in a bounded LRU, so two credentials sharing a key ID sign
//     correctly.
//   - Secrets: signing is never logged (the SDK's LogSigning prints the
//     canonical request, token included); no error carries a secret or token.
//   - Refresh and retries: a [Transport] retrieves credentials ahead of their
//     expiry (one refresh for concurrent requests), reads the clock once per
//     attempt, signs a clone, re-reads the body through GetBody, and retries
//     once when the credentials or the request expired.
//   - Checks: expired credentials ([ErrExpired]) and an ASIA key without a
//     token ([ErrMissingToken]) fail before anything is sent.
//
// Some services expect the token outside the signature (AWS IoT, the SigV4
// test suite's omit_session_token cases): set TokenAfterSigning.
//
// [SessionDuration] checks a DurationSeconds against the STS limits.
//
// # Signers and state
//
// The package functions [Sign], [Presign] and [NewTransport] use a package
// default [Signer], as net/http's functions use http.DefaultClient; it is the
// package's only state. A program that wants its own cache bound, or caches
// kept apart, declares its own Signer (the zero value is ready) and calls
// its methods.
//
// # Options
//
// One rule, as in the rest of awskit: calls that do I/O or build a value
// take context.Context first, then their required inputs positionally, then
// optFns ...func(*XOptions) over an exported XOptions struct whose zero
// value means the documented defaults: [Options] for Sign and Presign,
// [TransportOptions] (which embeds Options) for NewTransport,
// [VerifierOptions] for NewVerifier, [StreamingOptions] for SignStreaming. Pure
// calculations take their inputs by value: [SessionDuration] takes a
// [SessionOptions] struct. Time is an input: Sign and Presign take the
// signing time, a Transport reads TransportOptions.Now, and Verify takes
// the time to verify at.
//
// # Errors
//
// Every error matches one of the package's sentinels with errors.Is
// ([ErrExpired], [ErrMissingToken], [ErrExpiresTooLong], [ErrInvalid],
// [ErrBody], [ErrCredentials], [ErrDuration]); a reader's or a credentials
// provider's error stays reachable beside it. A Transport passes its base
// RoundTripper's errors on unchanged. The Verifier's errors are
// *[VerifyError] values, matched the same way (see below).
//
// The package is tested against the 37 cases of the public SigV4 test
// suite (header and presigned forms) and against botocore on randomized
// requests.
//
// # Verifying signatures
//
// A [Verifier] is the other side: services that accept AWS-style
// signatures, S3-compatible gateways, receivers of presigned URLs.
// [NewVerifier] takes a lookup from access key ID to credentials;
// [Verifier.Verify] checks a header-signed request or a presigned URL
// (scope, clock skew, expiry up to 7 days, the session token against the
// looked-up one, credentials expired, every signed header present, the
// signature in constant time) and returns a [Verified] whose Body checks the
// payload hash at its end, or decodes an aws-chunked body, releasing each
// chunk only once its signature is checked. Its errors are *[VerifyError]
// values matching [ErrMissingAuth], [ErrMalformedAuth], [ErrUnknownKey],
// [ErrTokenMismatch], [ErrRequestExpired], [ErrSignatureMismatch],
// [ErrNotAllowed], [ErrTooLarge] or [ErrMalformedChunk]; none carries the
// secret, the token or the expected signature. It accepts what this
// package, the SDK's signer, botocore, @smithy/signature-v4, aws4 and
// minio-go sign, and the test suite's cases; one exception: aws4 reads '+'
// in an S3 path as a space, which would let a signature for one key verify
// another, so that signature is refused.
//
// # Streaming uploads
//
// [SignStreaming] signs an S3 upload in the aws-chunked encoding
// (STREAMING-AWS4-HMAC-SHA256-PAYLOAD, with a trailing checksum
// -TRAILER, or STREAMING-UNSIGNED-PAYLOAD-TRAILER), chunk by chunk as the
// body is read, in one chunk of memory: the body is neither buffered nor
// hashed twice. It reproduces the worked examples of the S3 documentation
// byte for byte.
//
// # References
//
//   - Signature Version 4: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html
//   - Canonical requests: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
//   - S3 signing: https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
//   - Chunked uploads: https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
//     and https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html
//   - Temporary credentials with AWS resources:
//     https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_use-resources.html
//   - STS API reference: https://docs.aws.amazon.com/STS/latest/APIReference/welcome.html
package sigv4temp
