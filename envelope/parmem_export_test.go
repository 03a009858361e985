package envelope

import (
	"os"
	"testing"
)

// Under AWSKIT_PARMEM_FORCE=1 (set by TestEveryTestOnParallelPaths for the
// copy of the test binary it runs) every Encrypt and Decrypt of two full
// frames or more takes the parallel path, whatever its size, so that every
// test of the package runs there too. Set before any test runs; read-only
// afterwards.
func init() {
	if os.Getenv("AWSKIT_PARMEM_FORCE") == "1" {
		minParallelSeal, minParallelOpen = 0, 0
	}
}

// LowerParallelThresholds makes every Encrypt and Decrypt of two full
// frames or more take the parallel path until the test ends, so that a
// test can use small messages (in -short mode, under the race detector, on
// 386 where AES-GCM has no assembly). Tests that call it must not run in
// parallel with others.
func LowerParallelThresholds(t testing.TB) {
	seal, open := minParallelSeal, minParallelOpen
	minParallelSeal, minParallelOpen = 0, 0
	t.Cleanup(func() { minParallelSeal, minParallelOpen = seal, open })
}
