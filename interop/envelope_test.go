package interop

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/nsmithuk/local-kms/src"
	"github.com/nsmithuk/local-kms/src/config"
	"github.com/nsmithuk/local-kms/src/data"
	"github.com/nsmithuk/local-kms/src/handler"
	"github.com/sirupsen/logrus"

	"github.com/awskit/awskit/envelope"
)

var (
	kmsOnce     sync.Once
	kmsEndpoint string
	kmsErr      error
)

// localKMS starts one real KMS API server (local-kms) in-process on
// 127.0.0.1 for the test binary, with its database in a temporary folder,
// and returns a real *kms.Client pointed at it. local-kms keeps its settings
// in package variables, hence one server per process.
func localKMS(t *testing.T) *kms.Client {
	t.Helper()
	kmsOnce.Do(func() {
		dir, err := os.MkdirTemp("", "local-kms-")
		if err != nil {
			kmsErr = err
			return
		}
		config.AWSRegion, config.AWSAccountId, config.DatabasePath = "us-east-1", "111122223333", filepath.Join(dir, "db")
		db := data.NewDatabase(config.DatabasePath)
		srv := httptest.NewServer(quietKMS(db))
		kmsEndpoint = srv.URL // the server lives as long as the test binary
	})
	if kmsErr != nil {
		t.Fatal(kmsErr)
	}
	return kms.New(kms.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(kmsEndpoint),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDLOCAL", "local", ""),
	})
}

// quietKMS serves the KMS API as local-kms's src.HandleRequest does (the
// X-Amz-Target operation dispatched to its request handler), but with a
// logger that discards, so the server's per-request log lines do not mix
// into test and benchmark output.
func quietKMS(db *data.Database) http.Handler {
	quiet := logrus.New()
	quiet.SetOutput(io.Discard)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		target := strings.Split(r.Header.Get("X-Amz-Target"), ".")
		if r.Method != http.MethodPost || len(target) < 2 {
			src.HandleRequest(w, r, db) // its own errors for anything else
			return
		}
		method := reflect.ValueOf(handler.NewRequestHandler(r, quiet, db)).MethodByName(target[1])
		if !method.IsValid() {
			src.HandleRequest(w, r, db)
			return
		}
		resp, ok := method.Call(nil)[0].Interface().(handler.Response)
		if !ok {
			http.Error(w, "unexpected handler result", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(resp.Code)
		io.WriteString(w, resp.Body)
	})
}

func createKey(t *testing.T, c *kms.Client) string {
	t.Helper()
	out, err := c.CreateKey(context.Background(), &kms.CreateKeyInput{})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.KeyMetadata.Arn)
}

// node runs the JavaScript AWS Encryption SDK peer (interop/js/esdk.js).
func node(t *testing.T, args ...string) []byte {
	t.Helper()
	if _, err := os.Stat("js/node_modules/@aws-crypto/client-node"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the JavaScript peer is not installed (make test runs npm ci in interop/js): %v", err)
		}
		t.Skipf("js/node_modules missing: run npm ci in interop/js (%v)", err)
	}
	cmd := exec.Command("node", append([]string{"js/esdk.js"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node %v: %v\n%s", args[0], err, stderr.String())
	}
	return out
}

func plaintextOf(n int) []byte {
	p := make([]byte, n)
	for i := range p {
		p[i] = byte(i*31 + i>>8)
	}
	return p
}

var interopSuites = []envelope.Suite{envelope.SuiteCommitKey, envelope.SuiteCommitKeyECDSAP384}

type interopCase struct {
	size, frame int
}

// The interop matrix: empty, one byte, exact multiples of the frame length,
// a partial last frame, small frames, and a larger message.
var interopCases = []interopCase{{0, 4096}, {1, 4096}, {4096, 4096}, {8192, 4096}, {10_000, 4096}, {10_000, 1000}, {300, 1}, {100_000, 65536}}

func TestGoEncryptsJSDecrypts(t *testing.T) {
	client := localKMS(t)
	key, second := createKey(t, client), createKey(t, client)
	dir := t.TempDir()
	for _, suite := range interopSuites {
		for _, tc := range interopCases {
			t.Run(fmt.Sprintf("%v/%d/%d", suite, tc.size, tc.frame), func(t *testing.T) {
				c, err := envelope.New(client, key, func(o *envelope.Options) {
					o.Suite, o.FrameLength, o.AdditionalKeyIDs = suite, tc.frame, []string{second}
				})
				if err != nil {
					t.Fatal(err)
				}
				pt := plaintextOf(tc.size)
				msg, err := c.Encrypt(context.Background(), pt, map[string]string{"purpose": "interop", "lang": "go"})
				if err != nil {
					t.Fatal(err)
				}
				in, out := filepath.Join(dir, "msg"), filepath.Join(dir, "pt")
				if err := os.WriteFile(in, msg, 0o600); err != nil {
					t.Fatal(err)
				}
				// Decrypt with the second key alone: the additional data key works too.
				for _, k := range []string{key, second} {
					var hdr struct {
						SuiteID           int               `json:"suiteId"`
						FrameLength       int               `json:"frameLength"`
						EncryptionContext map[string]string `json:"encryptionContext"`
					}
					if err := json.Unmarshal(node(t, "decrypt", kmsEndpoint, k, in, out), &hdr); err != nil {
						t.Fatal(err)
					}
					got, err := os.ReadFile(out)
					if err != nil {
						t.Fatal(err)
					}
					if !bytes.Equal(got, pt) {
						t.Fatalf("JS decrypted %d bytes, want %d", len(got), len(pt))
					}
					if hdr.SuiteID != int(suite) || hdr.FrameLength != tc.frame || hdr.EncryptionContext["purpose"] != "interop" {
						t.Fatalf("JS read header %+v", hdr)
					}
				}
			})
		}
	}
}

func TestJSEncryptsGoDecrypts(t *testing.T) {
	client := localKMS(t)
	key, second := createKey(t, client), createKey(t, client)
	dir := t.TempDir()
	for _, suite := range interopSuites {
		for _, tc := range interopCases {
			t.Run(fmt.Sprintf("%v/%d/%d", suite, tc.size, tc.frame), func(t *testing.T) {
				pt := plaintextOf(tc.size)
				in, out := filepath.Join(dir, "pt"), filepath.Join(dir, "msg")
				if err := os.WriteFile(in, pt, 0o600); err != nil {
					t.Fatal(err)
				}
				node(t, "encrypt", kmsEndpoint, key, fmt.Sprintf("%04x", uint16(suite)), fmt.Sprint(tc.frame), `{"purpose":"interop","lang":"js"}`, in, out, second)
				msg, err := os.ReadFile(out)
				if err != nil {
					t.Fatal(err)
				}
				h, err := envelope.ParseHeader(msg)
				if err != nil {
					t.Fatal(err)
				}
				if h.Suite != suite || h.FrameLength != tc.frame || len(h.DataKeys) != 2 {
					t.Fatalf("header %+v", h)
				}
				for _, k := range []string{key, second} {
					c, err := envelope.New(client, k)
					if err != nil {
						t.Fatal(err)
					}
					got, err := c.Decrypt(context.Background(), msg, map[string]string{"lang": "js"})
					if err != nil {
						t.Fatalf("Go decrypt with %s: %v", k, err)
					}
					if !bytes.Equal(got, pt) {
						t.Fatalf("Go decrypted %d bytes, want %d", len(got), len(pt))
					}
					r, err := c.DecryptStream(context.Background(), bytes.NewReader(msg), nil)
					if err != nil {
						t.Fatal(err)
					}
					var buf bytes.Buffer
					if _, err := buf.ReadFrom(r); err != nil {
						t.Fatalf("DecryptStream: %v", err)
					}
					if !bytes.Equal(buf.Bytes(), pt) {
						t.Fatal("DecryptStream plaintext differs")
					}
				}
			})
		}
	}
}

// Messages written with a data key cache (one data key, several messages)
// decrypt with the JavaScript ESDK, each of them.
func TestCachedMessagesJSDecrypts(t *testing.T) {
	client := localKMS(t)
	key := createKey(t, client)
	cache, err := envelope.NewCache(time.Hour, func(o *envelope.CacheOptions) { o.MaxMessages = 10 })
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, suite := range interopSuites {
		c, err := envelope.New(client, key, func(o *envelope.Options) { o.Suite, o.Cache = suite, cache })
		if err != nil {
			t.Fatal(err)
		}
		var edk []byte
		for i := range 3 {
			pt := plaintextOf(100 * (i + 1))
			msg, err := c.Encrypt(context.Background(), pt, map[string]string{"cached": "yes"})
			if err != nil {
				t.Fatal(err)
			}
			h, err := envelope.ParseHeader(msg)
			if err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				edk = h.DataKeys[0].Ciphertext
			} else if !bytes.Equal(edk, h.DataKeys[0].Ciphertext) {
				t.Fatal("the cache did not reuse the data key")
			}
			in, out := filepath.Join(dir, "msg"), filepath.Join(dir, "pt")
			if err := os.WriteFile(in, msg, 0o600); err != nil {
				t.Fatal(err)
			}
			node(t, "decrypt", kmsEndpoint, key, in, out)
			got, err := os.ReadFile(out)
			if err != nil || !bytes.Equal(got, pt) {
				t.Fatalf("%v message %d: JS decrypted %d bytes, want %d (%v)", suite, i, len(got), len(pt), err)
			}
		}
	}
	if s := cache.Stats(); s.EncryptHits != 4 || s.KMSCalls != 2 {
		t.Fatalf("cache stats %+v, want 4 hits and 2 KMS calls", s)
	}
}
