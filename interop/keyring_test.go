package interop

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/internal/legacymsg"
)

// jsKeyring is one keyring of the JavaScript peer (interop/js/rawkeys.js).
type jsKeyring struct {
	Type      string `json:"type"`
	Namespace string `json:"namespace,omitempty"`
	Name      string `json:"name,omitempty"`
	Key       string `json:"key,omitempty"` // hex AES key, or KMS key ARN
	Padding   string `json:"padding,omitempty"`
	Public    string `json:"public,omitempty"`
	Private   string `json:"private,omitempty"`
	Endpoint  string `json:"endpoint,omitempty"`
}

type jsCase struct {
	Mode        string            `json:"mode"`
	Policy      string            `json:"policy,omitempty"`
	Suite       string            `json:"suite,omitempty"`
	FrameLength int               `json:"frameLength,omitempty"`
	Context     map[string]string `json:"context,omitempty"`
	Keyrings    []jsKeyring       `json:"keyrings"`
	In          string            `json:"in"`
	Out         string            `json:"out"`
}

type jsResult struct {
	Error             string            `json:"error"`
	Version           int               `json:"version"`
	SuiteID           int               `json:"suiteId"`
	ContentType       int               `json:"contentType"`
	FrameLength       int               `json:"frameLength"`
	EncryptionContext map[string]string `json:"encryptionContext"`
}

// runJS runs a batch of cases in one Node process.
func runJS(t *testing.T, cases []jsCase) []jsResult {
	t.Helper()
	if _, err := os.Stat("js/node_modules/@aws-crypto/raw-aes-keyring-node"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the JavaScript peer is not installed (make test runs npm ci in interop/js): %v", err)
		}
		t.Skipf("js/node_modules missing: run npm ci in interop/js (%v)", err)
	}
	f := filepath.Join(t.TempDir(), "cases.json")
	b, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f, b, 0o600); err != nil {
		t.Fatal(err)
	}
	// Node 20 refuses PKCS #1 v1.5 private decryption (the Marvin attack
	// mitigation, CVE-2023-46809): the JavaScript ESDK's raw RSA keyring
	// then finds no data key. The peer reverts it to read RSAPKCS1 messages.
	cmd := exec.Command("node", "--security-revert=CVE-2023-46809", "js/rawkeys.js", f, f+".out")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("node rawkeys.js: %v\n%s", err, stderr.String())
	}
	out, err := os.ReadFile(f + ".out")
	if err != nil {
		t.Fatal(err)
	}
	var res []jsResult
	if err := json.Unmarshal(out, &res); err != nil || len(res) != len(cases) {
		t.Fatalf("node rawkeys.js answered %d results for %d cases: %v", len(res), len(cases), err)
	}
	return res
}

// rawKeys is the key material of the raw keyring tests, made once per run.
type rawKeys struct {
	aes                   map[int][]byte
	rsa                   *rsa.PrivateKey
	publicPEM, privatePEM string // files
	kmsKey                string
	kms                   envelope.KMS
	dir                   string
}

var (
	rawOnce sync.Once
	raw     rawKeys
)

func theRawKeys(t *testing.T) *rawKeys {
	t.Helper()
	client := localKMS(t)
	rawOnce.Do(func() {
		raw.aes = map[int][]byte{}
		for _, n := range []int{16, 24, 32} {
			raw.aes[n] = make([]byte, n)
			rand.Read(raw.aes[n])
		}
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		raw.rsa = k
		dir, err := os.MkdirTemp("", "rawkeys-")
		if err != nil {
			panic(err)
		}
		raw.dir = dir
		pub, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
		priv, _ := x509.MarshalPKCS8PrivateKey(k)
		raw.publicPEM, raw.privatePEM = filepath.Join(dir, "pub.pem"), filepath.Join(dir, "priv.pem")
		os.WriteFile(raw.publicPEM, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}), 0o600)
		os.WriteFile(raw.privatePEM, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: priv}), 0o600)
	})
	if raw.kmsKey == "" {
		raw.kmsKey = createKey(t, client)
		raw.kms = client
	}
	return &raw
}

// A keyring variant: the same keys on both sides. members are the keyrings
// that each alone must open a message written by the whole (one for a plain
// keyring, three for the multi-keyring).
type variant struct {
	name    string
	js      []jsKeyring
	goKR    func(t *testing.T) envelope.Keyring
	members []variant
}

var rsaPaddings = []struct {
	name string
	p    envelope.RSAPadding
}{{"PKCS1", envelope.RSAPKCS1}, {"OAEP-SHA1", envelope.RSAOAEPSHA1}, {"OAEP-SHA256", envelope.RSAOAEPSHA256}, {"OAEP-SHA384", envelope.RSAOAEPSHA384}, {"OAEP-SHA512", envelope.RSAOAEPSHA512}}

func must(t *testing.T, kr envelope.Keyring, err error) envelope.Keyring {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	return kr
}

func variants(k *rawKeys) []variant {
	var vs []variant
	for _, n := range []int{16, 24, 32} {
		name := fmt.Sprintf("aes%d", n*8)
		vs = append(vs, variant{
			name: name,
			js:   []jsKeyring{{Type: "aes", Namespace: "awskit-interop", Name: name, Key: hex.EncodeToString(k.aes[n])}},
			goKR: func(t *testing.T) envelope.Keyring {
				kr, err := envelope.RawAESKeyring("awskit-interop", name, k.aes[n])
				return must(t, kr, err)
			},
		})
	}
	for _, p := range rsaPaddings {
		name := "rsa-" + p.name
		vs = append(vs, variant{
			name: name,
			js:   []jsKeyring{{Type: "rsa", Namespace: "awskit-interop", Name: name, Padding: p.name, Public: k.publicPEM, Private: k.privatePEM}},
			goKR: func(t *testing.T) envelope.Keyring {
				kr, err := envelope.RawRSAKeyring("awskit-interop", name, p.p, &k.rsa.PublicKey, k.rsa)
				return must(t, kr, err)
			},
		})
	}
	kmsV := variant{
		name: "kms",
		js:   []jsKeyring{{Type: "kms", Endpoint: kmsEndpoint, Key: k.kmsKey}},
		goKR: func(t *testing.T) envelope.Keyring {
			kr, err := envelope.KMSKeyring(k.kms, k.kmsKey)
			return must(t, kr, err)
		},
	}
	aes, rsaV := vs[2], vs[5] // AES-256 and RSA OAEP-SHA256
	multi := variant{
		name:    "multi(kms+aes256+rsa-OAEP-SHA256)",
		js:      []jsKeyring{kmsV.js[0], aes.js[0], rsaV.js[0]},
		members: []variant{kmsV, aes, rsaV},
		goKR: func(t *testing.T) envelope.Keyring {
			kr, err := envelope.MultiKeyring(kmsV.goKR(t), aes.goKR(t), rsaV.goKR(t))
			return must(t, kr, err)
		},
	}
	return append(vs, multi)
}

var allSuites = []envelope.Suite{
	envelope.SuiteAES128, envelope.SuiteAES192, envelope.SuiteAES256,
	envelope.SuiteAES128HKDFSHA256, envelope.SuiteAES192HKDFSHA256, envelope.SuiteAES256HKDFSHA256,
	envelope.SuiteAES128HKDFSHA256ECDSAP256, envelope.SuiteAES192HKDFSHA384ECDSAP384, envelope.SuiteAES256HKDFSHA384ECDSAP384,
	envelope.SuiteCommitKey, envelope.SuiteCommitKeyECDSAP384,
}

var interopFrames = []int{1, 512, 4096, 10240}

func sizesFor(frame int) []int {
	if frame == 1 {
		return []int{0, 1, 37}
	}
	return []int{0, 1, frame - 1, frame, 2*frame + 7}
}

type matrixCase struct {
	suite envelope.Suite
	v     variant
	frame int
	size  int
}

// matrix: every suite under every keyring (frame and size varying), and
// every suite under AES-256 with every frame length and edge sizes.
func matrix(suites []envelope.Suite, vs []variant) []matrixCase {
	var cs []matrixCase
	for si, s := range suites {
		for vi, v := range vs {
			f := interopFrames[(si+vi)%len(interopFrames)]
			cs = append(cs, matrixCase{s, v, f, 1000 + 97*si + vi})
		}
		for _, f := range interopFrames {
			for _, n := range sizesFor(f) {
				cs = append(cs, matrixCase{s, vs[2], f, n})
			}
		}
	}
	return cs
}

func policyFor(s envelope.Suite) string {
	if s.Committing() {
		return "require"
	}
	return "forbid" // the JavaScript ESDK writes non-committing suites only under this policy
}

func allowLegacy(o *envelope.Options) { o.CommitmentPolicy = envelope.RequireEncryptAllowDecrypt }

// goDecryptBoth decrypts msg with Decrypt and DecryptStream and compares.
func goDecryptBoth(t *testing.T, kr envelope.Keyring, msg, want []byte, ec map[string]string) {
	t.Helper()
	c, err := envelope.NewWithKeyring(kr, allowLegacy)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Decrypt(context.Background(), msg, ec)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("Decrypt: %d bytes, err %v; want %d bytes", len(got), err, len(want))
	}
	r, err := c.DecryptStream(context.Background(), bytes.NewReader(msg), ec)
	if err != nil {
		t.Fatalf("DecryptStream: %v", err)
	}
	got, err = io.ReadAll(r)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("DecryptStream: %d bytes, err %v; want %d bytes", len(got), err, len(want))
	}
}

// The JavaScript ESDK 5.0.2 writes every suite it can (the nine
// non-committing ones under FORBID_ENCRYPT_ALLOW_DECRYPT) under raw AES
// (128, 192, 256), raw RSA (five paddings) and a multi-keyring of KMS, AES
// and RSA, with frame lengths 1, 512, 4096 and 10240; awskit decrypts each,
// whole and streamed, with each keyring that wrapped the data key.
func TestJSRawKeyringsEncryptGoDecrypts(t *testing.T) {
	k := theRawKeys(t)
	vs := variants(k)
	dir := t.TempDir()
	cs := matrix(allSuites, vs)
	jobs := make([]jsCase, len(cs))
	ec := map[string]string{"purpose": "interop", "lang": "js"}
	for i, c := range cs {
		in, out := filepath.Join(dir, fmt.Sprintf("pt%d", i)), filepath.Join(dir, fmt.Sprintf("msg%d", i))
		if err := os.WriteFile(in, plaintextOf(c.size), 0o600); err != nil {
			t.Fatal(err)
		}
		jobs[i] = jsCase{Mode: "encrypt", Policy: policyFor(c.suite), Suite: fmt.Sprintf("%04x", uint16(c.suite)), FrameLength: c.frame, Context: ec, Keyrings: c.v.js, In: in, Out: out}
	}
	res := runJS(t, jobs)
	counts := map[string]int{}
	for i, c := range cs {
		t.Run(fmt.Sprintf("%v/%s/%d/%d", c.suite, c.v.name, c.frame, c.size), func(t *testing.T) {
			if res[i].Error != "" {
				t.Fatalf("JS encrypt: %s", res[i].Error)
			}
			msg, err := os.ReadFile(jobs[i].Out)
			if err != nil {
				t.Fatal(err)
			}
			h, err := envelope.ParseHeader(msg)
			if err != nil {
				t.Fatal(err)
			}
			wantVersion := 1
			if c.suite.Committing() {
				wantVersion = 2
			}
			if h.Suite != c.suite || h.Version != wantVersion || h.FrameLength != c.frame || h.ContentType != envelope.Framed || h.EncryptionContext["lang"] != "js" {
				t.Fatalf("header: version %d suite %v frame %d content %v", h.Version, h.Suite, h.FrameLength, h.ContentType)
			}
			members := c.v.members
			if members == nil {
				members = []variant{c.v}
			}
			if len(h.DataKeys) != len(members) {
				t.Fatalf("%d data keys, want %d", len(h.DataKeys), len(members))
			}
			for _, m := range members {
				goDecryptBoth(t, m.goKR(t), msg, plaintextOf(c.size), map[string]string{"lang": "js"})
				counts[c.suite.String()+" "+m.name]++
			}
			if !c.suite.Committing() {
				// The default policy refuses the message, with a distinct error.
				strict, err := envelope.NewWithKeyring(members[0].goKR(t))
				if err != nil {
					t.Fatal(err)
				}
				if _, err := strict.Decrypt(context.Background(), msg, nil); !errorsIs(err, envelope.ErrCommitmentPolicy) {
					t.Fatalf("default policy: %v, want ErrCommitmentPolicy", err)
				}
			}
		})
	}
	logCounts(t, "JS ESDK encrypts, awskit decrypts", counts)
}

// awskit writes both committing suites under every keyring variant and
// frame length; the JavaScript ESDK decrypts each with each keyring that
// wrapped the data key.
func TestGoRawKeyringsEncryptJSDecrypts(t *testing.T) {
	k := theRawKeys(t)
	vs := variants(k)
	dir := t.TempDir()
	cs := matrix([]envelope.Suite{envelope.SuiteCommitKey, envelope.SuiteCommitKeyECDSAP384}, vs)
	var jobs []jsCase
	var owner []int
	var names []string
	ec := map[string]string{"purpose": "interop", "lang": "go"}
	for i, c := range cs {
		cl, err := envelope.NewWithKeyring(c.v.goKR(t), func(o *envelope.Options) { o.Suite, o.FrameLength = c.suite, c.frame })
		if err != nil {
			t.Fatal(err)
		}
		msg, err := cl.Encrypt(context.Background(), plaintextOf(c.size), ec)
		if err != nil {
			t.Fatalf("%v %s: %v", c.suite, c.v.name, err)
		}
		in := filepath.Join(dir, fmt.Sprintf("msg%d", i))
		if err := os.WriteFile(in, msg, 0o600); err != nil {
			t.Fatal(err)
		}
		members := c.v.members
		if members == nil {
			members = []variant{c.v}
		}
		for j, m := range members {
			jobs = append(jobs, jsCase{Mode: "decrypt", Policy: "require", Keyrings: m.js, In: in, Out: filepath.Join(dir, fmt.Sprintf("pt%d-%d", i, j))})
			owner = append(owner, i)
			names = append(names, m.name)
		}
	}
	res := runJS(t, jobs)
	counts := map[string]int{}
	for j, r := range res {
		c := cs[owner[j]]
		t.Run(fmt.Sprintf("%v/%s/%d/%d/%s", c.suite, c.v.name, c.frame, c.size, names[j]), func(t *testing.T) {
			if r.Error != "" {
				t.Fatalf("JS decrypt: %s", r.Error)
			}
			got, err := os.ReadFile(jobs[j].Out)
			if err != nil || !bytes.Equal(got, plaintextOf(c.size)) {
				t.Fatalf("JS decrypted %d bytes, want %d (%v)", len(got), c.size, err)
			}
			if r.SuiteID != int(c.suite) || r.FrameLength != c.frame || r.Version != 2 || r.EncryptionContext["lang"] != "go" {
				t.Fatalf("JS read header %+v", r)
			}
			counts[c.suite.String()+" "+names[j]]++
		})
	}
	logCounts(t, "awskit encrypts, JS ESDK decrypts", counts)
}

func errorsIs(err, target error) bool { return errors.Is(err, target) }

// logCounts prints the decryptions checked per suite and per keyring, for
// the closing note (go test -v -run ... shows them). Keys are "SUITE KEYRING".
func logCounts(t *testing.T, title string, counts map[string]int) {
	bySuite, byKeyring := map[string]int{}, map[string]int{}
	total := 0
	for k, n := range counts {
		suite, keyring, _ := strings.Cut(k, " ")
		bySuite[suite] += n
		byKeyring[keyring] += n
		total += n
	}
	t.Logf("%s: %d decryptions", title, total)
	for _, m := range []map[string]int{bySuite, byKeyring} {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			t.Logf("  %-52s %d", k, m[k])
		}
	}
}

// No peer here writes non-framed bodies (the JavaScript ESDK refuses frame
// length 0, the official Go ESDK has no option for it): messages built from
// the specification (internal/legacymsg) in all nine suites, non-framed and
// framed, are read by the JavaScript ESDK and by awskit, which must agree.
func TestHandBuiltLegacyMessagesJSAndGo(t *testing.T) {
	k := theRawKeys(t)
	dir := t.TempDir()
	aesV := variants(k)[2]
	var jobs []jsCase
	var msgs, pts [][]byte
	var names []string
	for _, s := range legacymsg.Suites {
		for _, fl := range []int{0, 512} {
			for _, n := range []int{0, 1, 5000} {
				m := &legacymsg.Message{Suite: s, Context: map[string]string{"lang": "spec"}, NonFramed: fl == 0, FrameLength: fl, Plaintext: plaintextOf(n)}
				m.DataKey = make([]byte, s.KeyLen)
				rand.Read(m.DataKey)
				rand.Read(m.MessageID[:])
				ec, err := m.FullContext()
				if err != nil {
					t.Fatal(err)
				}
				iv := make([]byte, 12)
				rand.Read(iv)
				edk, err := legacymsg.WrapAES("awskit-interop", "aes256", k.aes[32], iv, m.DataKey, ec)
				if err != nil {
					t.Fatal(err)
				}
				m.DataKeys = []legacymsg.DataKey{edk}
				msg, err := legacymsg.Build(m)
				if err != nil {
					t.Fatal(err)
				}
				i := len(msgs)
				in := filepath.Join(dir, fmt.Sprintf("msg%d", i))
				if err := os.WriteFile(in, msg, 0o600); err != nil {
					t.Fatal(err)
				}
				jobs = append(jobs, jsCase{Mode: "decrypt", Policy: "allow", Keyrings: aesV.js, In: in, Out: filepath.Join(dir, fmt.Sprintf("pt%d", i))})
				msgs, pts = append(msgs, msg), append(pts, m.Plaintext)
				names = append(names, fmt.Sprintf("%04x/%d/%d", s.ID, fl, n))
			}
		}
	}
	res := runJS(t, jobs)
	counts := map[string]int{}
	for i, r := range res {
		t.Run(names[i], func(t *testing.T) {
			if r.Error != "" {
				t.Fatalf("JS decrypt: %s", r.Error)
			}
			got, err := os.ReadFile(jobs[i].Out)
			if err != nil || !bytes.Equal(got, pts[i]) {
				t.Fatalf("JS decrypted %d bytes, want %d (%v)", len(got), len(pts[i]), err)
			}
			if r.Version != 1 || (r.ContentType == 1) != strings.Contains(names[i], "/0/") {
				t.Fatalf("JS read header %+v", r)
			}
			goDecryptBoth(t, aesV.goKR(t), msgs[i], pts[i], map[string]string{"lang": "spec"})
			h, _ := envelope.ParseHeader(msgs[i])
			counts[h.Suite.String()+" "+h.ContentType.String()]++
		})
	}
	logCounts(t, "hand-built v1 messages read by the JS ESDK and awskit", counts)
}
