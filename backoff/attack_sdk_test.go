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

// Found by an adversarial review of the package (attack2).

// An SDK client configured with RetryMaxAttempts 1 (the SDK's documented way
// to turn its retries off) wraps a retryable error in a
// *retry.MaxAttemptsError with Attempt 1: it made no retries and spent no
// retry quota, so Retry around it multiplies nothing and must retry.
func TestAttackSDKMaxAttemptsOneIsRetried(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(`<Error><Code>InternalError</Code><Message>down</Message></Error>`))
	}))
	defer srv.Close()
	c := s3.New(s3.Options{
		Region:       "us-east-1",
		UsePathStyle: true,
		BaseEndpoint: awssdk.String(srv.URL),
		Credentials: awssdk.CredentialsProviderFunc(func(context.Context) (awssdk.Credentials, error) {
			return awssdk.Credentials{AccessKeyID: "AKID", SecretAccessKey: "SECRET"}, nil
		}),
		RetryMaxAttempts: 1,
	})
	p := backoff.Policy{Sleep: func(context.Context, time.Duration) error { return nil }}
	err := backoff.Retry(context.Background(), p, func(ctx context.Context) error {
		_, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: awssdk.String("b"), Key: awssdk.String("k")})
		return err
	})
	var maxErr *retry.MaxAttemptsError
	require.ErrorAs(t, err, &maxErr)
	assert.Equal(t, 1, maxErr.Attempt)
	assert.ErrorIs(t, err, backoff.ErrAttemptsExhausted)
	assert.Equal(t, int64(3), hits.Load(), "Retry's 3 attempts, one request each")

	// Attempt > 1 still means the SDK retried: not retryable.
	assert.False(t, backoff.IsRetryable(&retry.MaxAttemptsError{Attempt: 2, Err: maxErr.Err}))
	assert.True(t, backoff.IsRetryable(&retry.MaxAttemptsError{Attempt: 1, Err: maxErr.Err}))
}
