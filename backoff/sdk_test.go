package backoff_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/backoff"
)

// Issue 12.17 with a real SDK client: wrapping a call whose client keeps the
// SDK's retryer does not multiply attempts (3, not 9), and the documented
// composition (awssdk.NopRetryer on the client, Retry around the call) makes
// exactly Retry's attempts.
func TestRetryAroundSDKClient(t *testing.T) {
	srv, hits := failingS3(t)
	newClient := func(r awssdk.Retryer) *s3.Client {
		return s3Client(srv.URL, func(o *s3.Options) { o.Retryer = r })
	}
	p := backoff.Policy{Sleep: func(ctx context.Context, d time.Duration) error { return nil }}
	get := func(c *s3.Client) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			_, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: awssdk.String("b"), Key: awssdk.String("k")})
			return err
		}
	}

	sdkRetrying := newClient(retry.NewStandard(func(o *retry.StandardOptions) { o.Backoff = backoff.Exponential{} }))
	err := backoff.Retry(context.Background(), p, get(sdkRetrying))
	assert.ErrorIs(t, err, backoff.ErrNotRetryable, "the SDK already retried")
	var maxErr *retry.MaxAttemptsError
	assert.ErrorAs(t, err, &maxErr)
	assert.Equal(t, int64(3), hits.Load(), "the SDK's 3 attempts, not 3 x 3")

	hits.Store(0)
	oneShot := newClient(awssdk.NopRetryer{})
	err = backoff.Retry(context.Background(), p, get(oneShot))
	require.ErrorIs(t, err, backoff.ErrAttemptsExhausted)
	assert.Equal(t, int64(3), hits.Load(), "Retry's 3 attempts, one request each")
}

// failingS3 starts a server answering every request with S3's 500
// InternalError, and counts the requests.
func failingS3(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	hits := new(atomic.Int64)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(`<Error><Code>InternalError</Code><Message>down</Message></Error>`))
	}))
	t.Cleanup(srv.Close)
	return srv, hits
}

// s3Client is a real S3 client for url with static credentials.
func s3Client(url string, optFn func(*s3.Options)) *s3.Client {
	return s3.New(s3.Options{
		Region:       "us-east-1",
		UsePathStyle: true,
		BaseEndpoint: awssdk.String(url),
		Credentials: awssdk.CredentialsProviderFunc(func(context.Context) (awssdk.Credentials, error) {
			return awssdk.Credentials{AccessKeyID: "AKID", SecretAccessKey: "SECRET"}, nil
		}),
	}, optFn)
}
