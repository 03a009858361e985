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
//   - Re-signing: [Sign] removes the Authorization, X-Amz-Date and
//     X-Amz-Security-Token of an earlier signature, so signing twice equals
//     signing once, and rotated credentials never carry a stale token.
//   - Presigning: [Presign] always sets X-Amz-Expires, refuses more than
//     7 days or a URL that outlives its credentials (or clamps it, with
//     ClampExpiry), and never modifies the request.
//   - Derived keys: the SDK's signer caches its signing key by access key ID
//     and day, ignoring the secret; this package keeps one signer per (key ID,
//     secret), so two credentials sharing a key ID sign correctly.
//   - Secrets: signing is never logged (the SDK's LogSigning prints the
//     canonical request, token included); no error carries a secret or token.
//   - Refresh and retries: [NewTransport] retrieves credentials per request
//     through an aws.CredentialsCache (one refresh for concurrent requests),
//     signs a clone, and re-reads the body through GetBody on every attempt.
//   - Checks: expired credentials ([ErrExpired]) and an ASIA key without a
//     token ([ErrMissingToken]) fail before anything is sent.
//
// Some services expect the token outside the signature (AWS IoT, the SigV4
// test suite's omit_session_token cases): set TokenAfterSigning. S3 wants the
// path encoded once (DisableURIPathEscaping) and x-amz-content-sha256
// (ContentSHA256Header), or UNSIGNED-PAYLOAD for presigned URLs.
//
// [SessionDuration] checks a DurationSeconds against the STS limits.
//
// The package is tested byte for byte against the public SigV4 test suite
// and against botocore on randomized requests.
//
// # References
//
//   - Signature Version 4: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html
//   - Temporary credentials with AWS resources:
//     https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_use-resources.html
//   - STS API reference: https://docs.aws.amazon.com/STS/latest/APIReference/welcome.html
package sigv4temp
