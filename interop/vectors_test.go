package interop

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/internal/legacymsg"
)

// The AWS Encryption SDK test-vector framework
// (awslabs/aws-crypto-tools-test-vector-framework): a keys manifest
// (0002-keys), an encryption manifest (0003-awses-message-encryption,
// version 2) and the decryption manifests (0004) the known-good
// implementation writes. The manifests are generated here, by the rules of
// the framework's generator (awses_message_encryption_utils.py: every suite,
// frame sizes 0, 512, 4096, 10240 and 20480, four encryption contexts, a
// 10 KiB plaintext, and its raw master key sets: each AES key alone, the RSA
// private key alone with each of five paddings, and each of those with an
// encrypt-only RSA public key), with keys made at test time; nothing is
// fetched or committed.

type vectorKey struct {
	Encrypt   bool     `json:"encrypt"`
	Decrypt   bool     `json:"decrypt"`
	Algorithm string   `json:"algorithm"`
	Type      string   `json:"type"`
	Bits      int      `json:"bits"`
	Encoding  string   `json:"encoding"`
	LineSep   string   `json:"line-separator,omitempty"`
	Material  []string `json:"material"`
}

type masterKey struct {
	Type       string `json:"type"`
	Key        string `json:"key"`
	ProviderID string `json:"provider-id"`
	EncAlg     string `json:"encryption-algorithm"`
	Padding    string `json:"padding-algorithm,omitempty"`
	PadHash    string `json:"padding-hash,omitempty"`
}

type encryptTest struct {
	Plaintext  string            `json:"plaintext"`
	Algorithm  string            `json:"algorithm"`
	FrameSize  int               `json:"frame-size"`
	Context    map[string]string `json:"encryption-context"`
	MasterKeys []masterKey       `json:"master-keys"`
}

type decryptManifest struct {
	Manifest struct {
		Type    string `json:"type"`
		Version int    `json:"version"`
	} `json:"manifest"`
	Keys  string `json:"keys"`
	Tests map[string]struct {
		Ciphertext string      `json:"ciphertext"`
		MasterKeys []masterKey `json:"master-keys"`
		Result     struct {
			Output struct {
				Plaintext string `json:"plaintext"`
			} `json:"output"`
		} `json:"result"`
	} `json:"tests"`
	Refused map[string]string `json:"refused"`
}

const vectorProvider = "aws-raw-vectors-persistant" // sic, as in the framework

func vectorKeys(t *testing.T) (map[string]vectorKey, map[string][]byte, *rsa.PrivateKey) {
	t.Helper()
	keys := map[string]vectorKey{}
	aes := map[string][]byte{}
	for _, bits := range []int{128, 192, 256} {
		k := make([]byte, bits/8)
		rand.Read(k)
		name := fmt.Sprintf("aes-%d", bits)
		aes[name] = k
		keys[name] = vectorKey{true, true, "aes", "symmetric", bits, "base64", "", []string{base64.StdEncoding.EncodeToString(k)}}
	}
	priv, err := rsa.GenerateKey(rand.Reader, 4096)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(priv)
	pub, _ := x509.MarshalPKIXPublicKey(&priv.PublicKey)
	lines := func(b []byte) []string { return strings.Split(strings.TrimSpace(string(b)), "\n") }
	keys["rsa-4096-private"] = vectorKey{true, true, "rsa", "private", 4096, "pem", "\n", lines(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))}
	keys["rsa-4096-public"] = vectorKey{true, false, "rsa", "public", 4096, "pem", "\n", lines(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}))}
	return keys, aes, priv
}

// vectorMasterKeySets are the generator's raw master key sets.
func vectorMasterKeySets() [][]masterKey {
	var sets [][]masterKey
	for _, name := range []string{"aes-128", "aes-192", "aes-256"} {
		sets = append(sets, []masterKey{{Type: "raw", Key: name, ProviderID: vectorProvider, EncAlg: "aes"}})
	}
	blackhole := masterKey{Type: "raw", Key: "rsa-4096-public", ProviderID: vectorProvider, EncAlg: "rsa", Padding: "oaep-mgf1", PadHash: "sha256"}
	for _, p := range []struct{ alg, hash string }{{"pkcs1", ""}, {"oaep-mgf1", "sha1"}, {"oaep-mgf1", "sha256"}, {"oaep-mgf1", "sha384"}, {"oaep-mgf1", "sha512"}} {
		k := masterKey{Type: "raw", Key: "rsa-4096-private", ProviderID: vectorProvider, EncAlg: "rsa", Padding: p.alg, PadHash: p.hash}
		sets = append(sets, []masterKey{k}, []masterKey{k, blackhole})
	}
	return sets
}

var vectorContexts = []map[string]string{
	{},
	{"key1": "val1", "key2": "val2"},
	{"key1": "val1", "unicode_key_ловие": "unicode_value_Предисл"},
	{"key1": "val1", "\x01\x02\x03": "\x20\x22\x44"},
}

func vectorTests(suites []string) map[string]encryptTest {
	tests := map[string]encryptTest{}
	for _, s := range suites {
		for _, fs := range []int{0, 512, 4096, 10240, 20480} {
			for ci, ec := range vectorContexts {
				for ki, mks := range vectorMasterKeySets() {
					tests[fmt.Sprintf("%s-%d-ec%d-mk%d", s, fs, ci, ki)] = encryptTest{"small", s, fs, ec, mks}
				}
			}
		}
	}
	return tests
}

// awskitKeyring builds the keyring a test's master keys describe: the
// first is the generator, the rest children, as the framework's handlers do.
func awskitKeyring(t *testing.T, mks []masterKey, aes map[string][]byte, priv *rsa.PrivateKey) envelope.Keyring {
	t.Helper()
	var krs []envelope.Keyring
	for _, mk := range mks {
		var kr envelope.Keyring
		var err error
		switch {
		case mk.EncAlg == "aes":
			kr, err = envelope.RawAESKeyring(mk.ProviderID, mk.Key, aes[mk.Key])
		case mk.EncAlg == "rsa":
			p := map[string]envelope.RSAPadding{"pkcs1": envelope.RSAPKCS1, "sha1": envelope.RSAOAEPSHA1, "sha256": envelope.RSAOAEPSHA256, "sha384": envelope.RSAOAEPSHA384, "sha512": envelope.RSAOAEPSHA512}
			padding := p[mk.PadHash]
			if mk.Padding == "pkcs1" {
				padding = envelope.RSAPKCS1
			}
			if mk.Key == "rsa-4096-private" {
				kr, err = envelope.RawRSAKeyring(mk.ProviderID, mk.Key, padding, &priv.PublicKey, priv)
			} else {
				kr, err = envelope.RawRSAKeyring(mk.ProviderID, mk.Key, padding, &priv.PublicKey, nil)
			}
		default:
			t.Fatalf("master key %+v", mk)
		}
		if err != nil {
			t.Fatal(err)
		}
		krs = append(krs, kr)
	}
	if len(krs) == 1 {
		return krs[0]
	}
	kr, err := envelope.MultiKeyring(krs[0], krs[1:]...)
	if err != nil {
		t.Fatal(err)
	}
	return kr
}

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func runVectors(t *testing.T, args ...string) {
	t.Helper()
	if _, err := os.Stat("js/node_modules/@aws-crypto/client-node"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the JavaScript peer is not installed (make test runs npm ci in interop/js): %v", err)
		}
		t.Skipf("js/node_modules missing: run npm ci in interop/js (%v)", err)
	}
	cmd := exec.Command("node", append([]string{"--security-revert=CVE-2023-46809", "js/vectors.js"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("node vectors.js %s: %v\n%s", args[0], err, stderr.String())
	}
}

// The JavaScript ESDK generates every raw-key case of the encryption
// manifest it can write; awskit decrypts every one. awskit then writes every
// case it can (the committing suites, framed) and the JavaScript ESDK
// decrypts every one.
func TestVectorFramework(t *testing.T) {
	dir := t.TempDir()
	keys, aes, priv := vectorKeys(t)
	keysFile := filepath.Join(dir, "0002-keys.json")
	writeJSON(t, keysFile, map[string]any{"manifest": map[string]any{"type": "keys", "version": 3}, "keys": keys})
	suites := []string{"0014", "0046", "0078", "0114", "0146", "0178", "0214", "0346", "0378", "0478", "0578"}
	tests := vectorTests(suites)
	encFile := filepath.Join(dir, "0003-awses-message-encryption.json")
	writeJSON(t, encFile, map[string]any{
		"manifest": map[string]any{"type": "awses-encrypt", "version": 2}, "keys": "file://0002-keys.json",
		"plaintexts": map[string]int{"small": 10240}, "tests": tests,
	})

	// JS writes, awskit reads.
	jsDir := filepath.Join(dir, "js")
	runVectors(t, "encrypt", keysFile, encFile, jsDir)
	var dm decryptManifest
	b, err := os.ReadFile(filepath.Join(jsDir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &dm); err != nil {
		t.Fatal(err)
	}
	if dm.Manifest.Type != "awses-decrypt" || len(dm.Tests)+len(dm.Refused) != len(tests) {
		t.Fatalf("decrypt manifest: type %q, %d tests and %d refused of %d", dm.Manifest.Type, len(dm.Tests), len(dm.Refused), len(tests))
	}
	for id, why := range dm.Refused {
		if tests[id].FrameSize != 0 {
			t.Errorf("JS refused %s (frame %d): %s", id, tests[id].FrameSize, why)
		}
	}
	read := func(uri string) []byte {
		b, err := os.ReadFile(filepath.Join(jsDir, strings.TrimPrefix(uri, "file://")))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	counts := map[string]int{}
	i := 0
	for id, tc := range dm.Tests {
		c, err := envelope.NewWithKeyring(awskitKeyring(t, tc.MasterKeys, aes, priv), allowLegacy)
		if err != nil {
			t.Fatal(err)
		}
		msg, want := read(tc.Ciphertext), read(tc.Result.Output.Plaintext)
		got, h, err := c.DecryptWithHeader(context.Background(), msg, tests[id].Context)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: awskit decrypt: %v", id, err)
			continue
		}
		if i%7 == 0 { // the streaming path too, on a seventh of the cases (RSA-4096 is slow under -race)
			r, err := c.DecryptStream(context.Background(), bytes.NewReader(msg), nil)
			if err != nil {
				t.Fatalf("%s: DecryptStream: %v", id, err)
			}
			var buf bytes.Buffer
			if _, err := buf.ReadFrom(r); err != nil || !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("%s: DecryptStream: %v", id, err)
			}
		}
		i++
		counts[h.Suite.String()+" "+tc.MasterKeys[0].Key+"/"+tc.MasterKeys[0].Padding+tc.MasterKeys[0].PadHash]++
	}
	t.Logf("JS refused %d cases (frame size 0: it writes no non-framed messages)", len(dm.Refused))
	logCounts(t, "test vectors written by the JS ESDK, decrypted by awskit", counts)

	// The cases the JS ESDK refused (non-framed) in the non-committing suites
	// are built from the specification (internal/legacymsg; RSA wrapping with
	// crypto/rsa as the raw RSA keyring specifies), then read by both.
	specDir := filepath.Join(dir, "spec")
	os.MkdirAll(filepath.Join(specDir, "ciphertexts"), 0o700)
	os.MkdirAll(filepath.Join(specDir, "plaintexts"), 0o700)
	small := read("file://plaintexts/small")
	os.WriteFile(filepath.Join(specDir, "plaintexts", "small"), small, 0o600)
	type specTest struct {
		Ciphertext string         `json:"ciphertext"`
		MasterKeys []masterKey    `json:"master-keys"`
		Result     map[string]any `json:"result"`
	}
	built := map[string]specTest{}
	specMsgs := map[string][]byte{}
	unbuilt := 0
	for id := range dm.Refused {
		tc := tests[id]
		s, ok := legacymsg.SuiteByID(mustHex16(tc.Algorithm))
		if !ok {
			unbuilt++ // a committing suite, non-framed: no writer here
			continue
		}
		m := &legacymsg.Message{Suite: s, Context: tc.Context, NonFramed: true, Plaintext: small, DataKey: make([]byte, s.KeyLen)}
		rand.Read(m.DataKey)
		rand.Read(m.MessageID[:])
		ec, err := m.FullContext()
		if err != nil {
			t.Fatal(err)
		}
		for _, mk := range tc.MasterKeys {
			var edk legacymsg.DataKey
			if mk.EncAlg == "aes" {
				iv := make([]byte, 12)
				rand.Read(iv)
				edk, err = legacymsg.WrapAES(mk.ProviderID, mk.Key, aes[mk.Key], iv, m.DataKey, ec)
			} else {
				var ct []byte
				if mk.Padding == "pkcs1" {
					ct, err = rsa.EncryptPKCS1v15(rand.Reader, &priv.PublicKey, m.DataKey)
				} else {
					h := map[string]crypto.Hash{"sha1": crypto.SHA1, "sha256": crypto.SHA256, "sha384": crypto.SHA384, "sha512": crypto.SHA512}[mk.PadHash]
					ct, err = rsa.EncryptOAEP(h.New(), rand.Reader, &priv.PublicKey, m.DataKey, nil)
				}
				edk = legacymsg.DataKey{ProviderID: mk.ProviderID, ProviderInfo: []byte(mk.Key), Ciphertext: ct}
			}
			if err != nil {
				t.Fatal(err)
			}
			m.DataKeys = append(m.DataKeys, edk)
		}
		msg, err := legacymsg.Build(m)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(specDir, "ciphertexts", id), msg, 0o600)
		specMsgs[id] = msg
		built[id] = specTest{"file://ciphertexts/" + id, tc.MasterKeys, map[string]any{"output": map[string]any{"plaintext": "file://plaintexts/small"}}}
	}
	specManifest := filepath.Join(specDir, "manifest.json")
	writeJSON(t, specManifest, map[string]any{"manifest": map[string]any{"type": "awses-decrypt", "version": 2}, "keys": "file://" + keysFile, "tests": built})
	specResults := filepath.Join(dir, "spec-results.json")
	runVectors(t, "decrypt", keysFile, specManifest, specResults)
	var sres map[string]string
	if b, err := os.ReadFile(specResults); err != nil || json.Unmarshal(b, &sres) != nil || len(sres) != len(built) {
		t.Fatalf("%d results for %d built cases: %v", len(sres), len(built), err)
	}
	counts = map[string]int{}
	for id, r := range sres {
		if r != "ok" {
			t.Errorf("%s: JS decrypt of the spec-built non-framed message: %s", id, r)
			continue
		}
		tc := tests[id]
		c, err := envelope.NewWithKeyring(awskitKeyring(t, tc.MasterKeys, aes, priv), allowLegacy)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.Decrypt(context.Background(), specMsgs[id], tc.Context)
		if err != nil || !bytes.Equal(got, small) {
			t.Errorf("%s: awskit decrypt of the spec-built non-framed message: %v", id, err)
			continue
		}
		counts["0x"+tc.Algorithm+" "+tc.MasterKeys[0].Key+"/"+tc.MasterKeys[0].Padding+tc.MasterKeys[0].PadHash]++
	}
	t.Logf("non-framed cases built from the spec: %d; not built (committing suites, non-framed): %d", len(built), unbuilt)
	logCounts(t, "spec-built non-framed test vectors, decrypted by the JS ESDK and awskit", counts)

	// awskit writes, JS reads.
	goDir := filepath.Join(dir, "go")
	for _, sub := range []string{"ciphertexts", "plaintexts"} {
		os.MkdirAll(filepath.Join(goDir, sub), 0o700)
	}
	pt := plaintextOf(10240)
	os.WriteFile(filepath.Join(goDir, "plaintexts", "small"), pt, 0o600)
	type decTest struct {
		Ciphertext string         `json:"ciphertext"`
		MasterKeys []masterKey    `json:"master-keys"`
		Result     map[string]any `json:"result"`
	}
	ours := map[string]decTest{}
	notWritten := 0
	for id, tc := range tests {
		if !envelope.Suite(mustHex16(tc.Algorithm)).Committing() || tc.FrameSize == 0 {
			notWritten++ // awskit writes only committing suites, framed
			continue
		}
		c, err := envelope.NewWithKeyring(awskitKeyring(t, tc.MasterKeys, aes, priv), func(o *envelope.Options) {
			o.Suite, o.FrameLength = envelope.Suite(mustHex16(tc.Algorithm)), tc.FrameSize
		})
		if err != nil {
			t.Fatal(err)
		}
		msg, err := c.Encrypt(context.Background(), pt, tc.Context)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		os.WriteFile(filepath.Join(goDir, "ciphertexts", id), msg, 0o600)
		ours[id] = decTest{"file://ciphertexts/" + id, tc.MasterKeys, map[string]any{"output": map[string]any{"plaintext": "file://plaintexts/small"}}}
	}
	goManifest := filepath.Join(goDir, "manifest.json")
	writeJSON(t, goManifest, map[string]any{"manifest": map[string]any{"type": "awses-decrypt", "version": 2}, "keys": "file://" + keysFile, "tests": ours})
	results := filepath.Join(dir, "results.json")
	runVectors(t, "decrypt", keysFile, goManifest, results)
	var res map[string]string
	b, err = os.ReadFile(results)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &res); err != nil || len(res) != len(ours) {
		t.Fatalf("%d results for %d tests: %v", len(res), len(ours), err)
	}
	counts = map[string]int{}
	for id, r := range res {
		if r != "ok" {
			t.Errorf("%s: JS decrypt of awskit's message: %s", id, r)
			continue
		}
		tc := tests[id]
		counts["0x"+tc.Algorithm+" "+tc.MasterKeys[0].Key+"/"+tc.MasterKeys[0].Padding+tc.MasterKeys[0].PadHash]++
	}
	t.Logf("awskit wrote no message for %d cases (non-committing suites or frame size 0)", notWritten)
	logCounts(t, "test vectors written by awskit, decrypted by the JS ESDK", counts)
}

func mustHex16(s string) uint16 {
	var v uint16
	fmt.Sscanf(s, "%04x", &v)
	return v
}
