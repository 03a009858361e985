//go:build mutation

package envelope_test

import (
	"flag"
	"os"
	"testing"
)

// TestMain, under the mutation build tag only (make mutate, gremlins -t
// mutation), runs the suite in -short mode: mutation testing runs the whole
// package once per mutant, and the scale tests (100,000 cached messages, a
// 1 GiB stream) would multiply that by minutes without killing more mutants.
func TestMain(m *testing.M) {
	flag.Parse()
	if err := flag.Set("test.short", "true"); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}
