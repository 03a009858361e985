// Package interop holds awskit's tests and benchmarks against heavier peers
// (other retry libraries, the official AWS Encryption SDKs, a local KMS, an S3
// protocol server). It is a module of its own so that users of awskit never
// download these dependencies. Run it with make test (or make bench) from the
// repository root.
package interop
