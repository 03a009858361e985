package envelope

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope/kmstest"
)

// leaked reports in which form secret appears in out: raw, hex (either
// case), base64, or as fmt prints a byte slice (decimal list, %q).
func leaked(out string, secret []byte) string {
	forms := map[string]string{
		"raw":     string(secret),
		"hex":     hex.EncodeToString(secret),
		"HEX":     strings.ToUpper(hex.EncodeToString(secret)),
		"base64":  base64.StdEncoding.EncodeToString(secret),
		"decimal": strings.Trim(fmt.Sprint(secret), "[]"),
		"quoted":  strings.Trim(fmt.Sprintf("%q", secret), `"`),
	}
	for name, f := range forms {
		if f != "" && strings.Contains(out, f) {
			return name
		}
	}
	return ""
}

// Values that hold secrets, formatted every way fmt and slog can, show none
// of them: the data key (in the Cache, for encryption and decryption), the
// content key, the signing key, the plaintext (in the streams' buffers), and
// the test KMS's backing key (issue 20, item 5).
func TestNoSecretsInOutput(t *testing.T) {
	ctx := context.Background()
	// The test KMS draws key IDs and backing keys from this reader, so the
	// test knows the backing key (bytes 16 to 48 of the first draw).
	var seed [4096]byte
	for i := range seed {
		seed[i] = byte(i*131 + 7)
	}
	k := kmstest.NewWith("eu-west-1", "111122223333", bytes.NewReader(seed[:]))
	keyARN, err := k.CreateKey()
	require.NoError(t, err)
	backingKey := seed[16:48]

	cache, err := NewCache(time.Hour)
	require.NoError(t, err)
	plaintext := []byte("TOP-SECRET-PLAINTEXT-4f1c2a7e-do-not-print")

	for _, suite := range []Suite{SuiteCommitKey, SuiteCommitKeyECDSAP384} {
		opts := Options{Suite: suite, Cache: cache, FrameLength: 16}
		c, err := New(k, keyARN, func(o *Options) { *o = opts })
		require.NoError(t, err)
		msg, err := c.Encrypt(ctx, plaintext, map[string]string{"tenant": "acme"})
		require.NoError(t, err)
		_, err = c.Decrypt(ctx, msg, nil) // a decryption entry too
		require.NoError(t, err)

		// The secrets, read from where they live.
		h, err := ParseHeader(msg)
		require.NoError(t, err)
		key := c.encryptCacheKey(mustContext(t, map[string]string{"tenant": "acme"}))
		m := cache.getEncrypt(key, 0)
		require.NotNil(t, m, "the encryption entry is cached")
		dataKey := bytes.Clone(m.dataKey)
		m.wipe()
		contentKey, _, err := deriveKeys(suite, dataKey, h.MessageID[:])
		require.NoError(t, err)
		secrets := map[string][]byte{"data key": dataKey, "content key": contentKey, "plaintext": plaintext, "KMS backing key": backingKey}
		if m.signer != nil {
			secrets["signing key"] = m.signer.D.Bytes()
		}

		// Streams part-way, so their buffers hold key material and plaintext.
		var sink bytes.Buffer
		w, err := c.EncryptStream(ctx, &sink, nil)
		require.NoError(t, err)
		_, err = w.Write(plaintext[:20])
		require.NoError(t, err)
		r, err := c.DecryptStream(ctx, bytes.NewReader(msg), nil)
		require.NoError(t, err)
		small := make([]byte, 3)
		_, err = io.ReadFull(r, small) // the rest of the frame waits in r's buffer
		require.NoError(t, err)

		// Errors of every kind a message can cause.
		var errs []error
		for _, bad := range [][]byte{msg[:len(msg)-1], append(bytes.Clone(msg), 0), msg[:h.Size+5]} {
			_, err := c.Decrypt(ctx, bad, nil)
			errs = append(errs, err)
		}
		_, err = c.Decrypt(ctx, msg, map[string]string{"tenant": "globex"})
		errs = append(errs, err)
		for _, err := range errs {
			require.Error(t, err)
		}

		values := map[string]any{
			"Client": c, "Options with a Cache": opts, "*Options": &opts, "Cache": cache,
			"EncryptStream writer": w, "Reader": r, "Header": h, "kmstest.KMS": k,
			"errors": errors.Join(errs...),
		}
		for name, v := range values {
			var out strings.Builder
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
				fmt.Fprintf(&out, verb+"\n", v)
			}
			for _, handler := range []func(io.Writer) slog.Handler{
				func(w io.Writer) slog.Handler { return slog.NewTextHandler(w, nil) },
				func(w io.Writer) slog.Handler { return slog.NewJSONHandler(w, nil) },
			} {
				slog.New(handler(&out)).Info("value", "v", v)
			}
			for secret, b := range secrets {
				if form := leaked(out.String(), b); form != "" {
					t.Errorf("%v: %s shows the %s (%s)", suite, name, secret, form)
				}
			}
		}
		// The check itself finds a secret that is there.
		require.NotEmpty(t, leaked(fmt.Sprintf("%v", dataKey), dataKey))
		require.NotEmpty(t, leaked(fmt.Sprintf("%x", contentKey), contentKey))
		require.NoError(t, w.Close())
		clear(contentKey)
	}
}

func mustContext(t *testing.T, ec map[string]string) []byte {
	t.Helper()
	b, err := checkContext(ec)
	require.NoError(t, err)
	return b
}
