package backoff_test

import (
	"context"
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
	srv, hits := failingS3(t)
	c := s3Client(srv.URL, func(o *s3.Options) { o.RetryMaxAttempts = 1 })
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
