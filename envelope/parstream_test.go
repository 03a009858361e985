package envelope_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/awskit/awskit/envelope"
)

// withConcurrency runs f with the default concurrency (Options.Concurrency
// 0, which the existing tests use) standing for procs workers, and streams
// parallel from their first frame when procs > 1.
func withConcurrency(t *testing.T, procs int, f func(t *testing.T)) {
	old := runtime.GOMAXPROCS(procs)
	defer runtime.GOMAXPROCS(old)
	if procs > 1 {
		defer envelope.SetParallelStreamAfter(0)()
	}
	f(t)
}

// The stream tests written for the serial path pass at Concurrency 1 and
// parallel (2 and 8 workers) from the first frame.
func TestStreamTestsAtEveryConcurrency(t *testing.T) {
	tests := map[string]func(*testing.T){
		"TestStreamRoundTrip":                   TestStreamRoundTrip,
		"TestDecryptStreamReleasesOnlyVerified": TestDecryptStreamReleasesOnlyVerified,
		"TestEncryptStreamWriteErrorSticks":     TestEncryptStreamWriteErrorSticks,
		"TestStreamsRedact":                     TestStreamsRedact,
		"TestTampering":                         TestTampering,
		"TestDecryptStreamSourceErrors":         TestDecryptStreamSourceErrors,
		"TestReaderWriteTo":                     TestReaderWriteTo,
	}
	for _, procs := range []int{1, 2, 8} {
		for name, f := range tests {
			t.Run(fmt.Sprintf("%s/procs-%d", name, procs), func(t *testing.T) { withConcurrency(t, procs, f) })
		}
	}
}
