package sigv4temp_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/sigv4temp"
)

// A review found that a canonical query of more than 10,000 pairs was signed
// as an empty query on Go 1.26, whose url.ParseQuery refuses that many
// (url.URL.Query, which the SDK signer reads, then returns nothing), while
// the full query was sent. Sign must refuse such a query, or sign it whole.
func TestSignManyQueryParams(t *testing.T) {
	creds := aws.Credentials{AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: "secret", SessionToken: "token"}
	now := time.Date(2026, 11, 26, 4, 0, 0, 0, time.UTC)
	pairs := make([]string, 10001)
	for i := range pairs {
		pairs[i] = "p" + strconv.Itoa(i) + "=v"
	}
	sign := func(query string) (string, error) {
		r, err := http.NewRequest(http.MethodGet, "https://example.amazonaws.com/?"+query, nil)
		require.NoError(t, err)
		err = sigv4temp.Sign(context.Background(), r, creds, "execute-api", "us-east-1", now)
		return r.Header.Get("Authorization"), err
	}
	empty, err := sign("")
	require.NoError(t, err)
	for _, n := range []int{9999, 10000, 10001} {
		q := strings.Join(pairs[:n], "&")
		auth, err := sign(q)
		if _, perr := url.ParseQuery(q); perr != nil {
			assert.ErrorIs(t, err, sigv4temp.ErrInvalid, "%d pairs: this Go's url.ParseQuery refuses them", n)
			continue
		}
		require.NoError(t, err, "%d pairs", n)
		assert.NotEqual(t, empty, auth, "%d pairs signed as an empty query", n)
	}
}
