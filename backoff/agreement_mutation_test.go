//go:build mutation

package backoff_test

// agreementSequences is smaller under mutation testing (gremlins --tags
// mutation), which runs the package's tests once per mutant.
const agreementSequences = 300
