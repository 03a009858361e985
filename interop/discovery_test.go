package interop

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/awskit/awskit/envelope"
)

// A message the JavaScript ESDK wrote under a KMS key (through a real KMS
// API server) opens with a discovery keyring whose filter names the key's
// account, and not with one that names another account; grant tokens go
// with the call.
func TestDiscoveryKeyringLocalKMS(t *testing.T) {
	client := localKMS(t)
	key := createKey(t, client)
	dir := t.TempDir()
	in, out := filepath.Join(dir, "pt"), filepath.Join(dir, "msg")
	pt := plaintextOf(5000)
	if err := os.WriteFile(in, pt, 0o600); err != nil {
		t.Fatal(err)
	}
	node(t, "encrypt", kmsEndpoint, key, "0578", "1024", `{"purpose":"discovery"}`, in, out)
	msg, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		accounts []string
		ok       bool
	}{{[]string{"111122223333"}, true}, {[]string{"444455556666"}, false}} {
		kr, err := envelope.KMSDiscoveryKeyring(client, func(o *envelope.KMSKeyringOptions) {
			o.DiscoveryFilter = &envelope.DiscoveryFilter{Partition: "aws", AccountIDs: tc.accounts}
			o.GrantTokens = []string{"grant-token-1"}
		})
		if err != nil {
			t.Fatal(err)
		}
		c, err := envelope.NewWithKeyring(kr)
		if err != nil {
			t.Fatal(err)
		}
		got, h, err := c.DecryptWithHeader(context.Background(), msg, map[string]string{"purpose": "discovery"})
		if !tc.ok {
			if !errors.Is(err, envelope.ErrNoKey) {
				t.Fatalf("filter %v: %v, want ErrNoKey", tc.accounts, err)
			}
			continue
		}
		if err != nil || !bytes.Equal(got, pt) {
			t.Fatalf("filter %v: %v", tc.accounts, err)
		}
		if h.DataKeys[0].ProviderInfo != key {
			t.Fatalf("data key under %q, want %q", h.DataKeys[0].ProviderInfo, key)
		}
	}
}
