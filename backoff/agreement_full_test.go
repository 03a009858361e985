//go:build !mutation

package backoff_test

// agreementSequences is how many random sequences the botocore agreement
// test runs.
const agreementSequences = 3000
