package sigv4temp_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/sigv4temp"
)

// FuzzSign feeds arbitrary paths, queries, header names and values to the
// canonicalisation: no panic, and signing twice equals signing once.
func FuzzSign(f *testing.F) {
	f.Add("/a b/ü", "x=1&x=2&y", "My-Header", "  a   b  ", true)
	f.Add("/", "", "X-Amz-Meta-A", "", false)
	f.Add("/%2F/..//.", "a=%zz", "Content-Type", "text/plain", true)
	f.Fuzz(func(t *testing.T, path, rawQuery, hname, hval string, s3 bool) {
		u := &url.URL{Scheme: "https", Host: "example.amazonaws.com", Path: path, RawQuery: rawQuery}
		r, err := http.NewRequest("GET", u.String(), nil)
		if err != nil {
			return
		}
		if hname != "" {
			if !validHeaderName(hname) {
				return
			}
			r.Header.Add(hname, hval)
		}
		opt := func(o *sigv4temp.Options) { o.DisableURIPathEscaping, o.ContentSHA256Header = s3, s3 }
		sentQuery := r.URL.RawQuery
		want, qerr := url.ParseQuery(sentQuery)
		if err := sigv4temp.Sign(context.Background(), r, tempCreds, "service", "us-east-1", signTime, opt); err != nil {
			if qerr != nil && errors.Is(err, sigv4temp.ErrInvalid) {
				return // a query that does not parse is refused, not rewritten
			}
			t.Fatalf("Sign: %v", err)
		}
		require.NoError(t, qerr, "Sign accepted a query url.ParseQuery rejects: %q", sentQuery)
		got, err := url.ParseQuery(r.URL.RawQuery)
		require.NoError(t, err)
		if len(want) > 0 || len(got) > 0 {
			require.Equal(t, want, got, "the query's content changed: %q became %q", sentQuery, r.URL.RawQuery)
		}
		first := r.Header.Clone()
		require.NoError(t, sigv4temp.Sign(context.Background(), r, tempCreds, "service", "us-east-1", signTime, opt))
		require.Equal(t, first, r.Header)
		if _, _, err := sigv4temp.Presign(context.Background(), r, tempCreds, "service", "us-east-1", signTime, 60_000_000_000, opt); err != nil {
			t.Fatalf("Presign: %v", err)
		}
	})
}

func validHeaderName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || c == ':' {
			return false
		}
	}
	return true
}
