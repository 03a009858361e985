package envelope

import "os"

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
