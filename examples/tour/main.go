// Command tour prints a short, offline tour of every awskit package: real
// results computed on fixed inputs, with no network and no credentials.
package main

import (
	"fmt"
	"io"
	"os"
)

// section is one package's part of the tour.
type section struct {
	name string
	run  func(w io.Writer) error
}

var sections = []section{
	{"arn", tourARN},
	{"capacity", tourCapacity},
	{"weighting", tourWeighting},
	{"backoff", tourBackoff},
	{"s3keys", tourS3Keys},
	{"sigv4temp", tourSigV4Temp},
	{"envelope", tourEnvelope},
}

func main() {
	if err := tour(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "tour:", err)
		os.Exit(1)
	}
}

func tour(w io.Writer) error {
	fmt.Fprintln(w, "awskit tour")
	for _, s := range sections {
		fmt.Fprintf(w, "\n== %s ==\n", s.name)
		if err := s.run(w); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	return nil
}
