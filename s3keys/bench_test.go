package s3keys_test

import (
	"crypto/sha256"
	"fmt"
	"testing"
)

var sinkKey string

// BenchmarkKey: a 60-byte key, beside the naive fmt.Sprintf version in the
// same run.
func BenchmarkKey(b *testing.B) {
	key := "tenants/4711/events/2026-11-25T20:49:41.1234567Z-000042.json"
	if len(key) != 60 {
		b.Fatalf("key is %d bytes", len(key))
	}
	s := must(b, 2)
	b.Run("awskit", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkKey = s.Key(key)
		}
	})
	b.Run("naive-Sprintf", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkKey = fmt.Sprintf("%x", sha256.Sum256([]byte(key)))[:2] + "/" + key
		}
	})
	if naive := fmt.Sprintf("%x", sha256.Sum256([]byte(key)))[:2] + "/" + key; naive != s.Key(key) {
		b.Fatalf("naive %q != awskit %q", naive, s.Key(key))
	}
}

func BenchmarkSplit(b *testing.B) {
	s := must(b, 2)
	k := s.Key("tenants/4711/events/2026-11-25T20:49:41.1234567Z-000042.json")
	b.ReportAllocs()
	for b.Loop() {
		v, err := s.Split(k)
		if err != nil {
			b.Fatal(err)
		}
		sinkKey = v
	}
}
