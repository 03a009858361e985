package backoff_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/backoff"
)

// Found by an adversarial review of the package (attack2).

// Issue 12.14 and IsRetryable's doc: "a per-attempt context deadline" is
// retryable. An SDK client whose per-attempt context times out returns a
// *smithy.CanceledError wrapping context.DeadlineExceeded (smithy-go
// transport/http/client.go), which the SDK's NoRetryCanceledError refuses
// (inside the SDK that context is the whole operation's). Around Retry, whose
// own context is checked separately, it is a per-attempt timeout.
func TestAttackSDKPerAttemptTimeoutIsRetried(t *testing.T) {
	assert.True(t, backoff.IsRetryable(&smithy.CanceledError{Err: context.DeadlineExceeded}))
	assert.False(t, backoff.IsRetryable(&smithy.CanceledError{Err: context.Canceled}))

	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			select { // the first attempt hangs past its timeout
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	c := s3.New(s3.Options{
		Region:       "us-east-1",
		UsePathStyle: true,
		BaseEndpoint: awssdk.String(srv.URL),
		Credentials: awssdk.CredentialsProviderFunc(func(context.Context) (awssdk.Credentials, error) {
			return awssdk.Credentials{AccessKeyID: "AKID", SecretAccessKey: "SECRET"}, nil
		}),
		Retryer: awssdk.NopRetryer{},
	})
	var first error
	p := backoff.Policy{
		Sleep:   func(context.Context, time.Duration) error { return nil },
		OnRetry: func(_ int, _ time.Duration, err error) { first = err },
	}
	err := backoff.Retry(context.Background(), p, func(ctx context.Context) error {
		ctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		_, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: awssdk.String("b"), Key: awssdk.String("k")})
		return err
	})
	require.NoError(t, err)
	assert.Equal(t, int64(2), hits.Load())
	var canceled *smithy.CanceledError
	assert.ErrorAs(t, first, &canceled, "the SDK's error for the timed-out attempt")
	assert.ErrorIs(t, first, context.DeadlineExceeded)
}
