package envelope_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope"
	"github.com/awskit/awskit/envelope/kmstest"
)

// New copies the caller's AdditionalKeyIDs: changing the slice afterwards
// changes neither the keys that encrypt nor the cache key (issue 12, item 6).
func TestOptionsNotAliased(t *testing.T) {
	k := kmstest.New()
	keyARN, second, third := k.MustCreateKey(), k.MustCreateKey(), k.MustCreateKey()
	for _, cached := range []bool{false, true} {
		ids := []string{second}
		var cache *envelope.Cache
		if cached {
			var err error
			cache, err = envelope.NewCache(time.Hour)
			require.NoError(t, err)
		}
		c := newClient(t, k, keyARN, func(o *envelope.Options) { o.AdditionalKeyIDs, o.Cache = ids, cache })
		ids[0] = third

		for range 2 { // the second Encrypt is a cache hit when cached
			msg, err := c.Encrypt(context.Background(), []byte("x"), nil)
			require.NoError(t, err)
			h, err := envelope.ParseHeader(msg)
			require.NoError(t, err)
			require.Len(t, h.DataKeys, 2)
			assert.Equal(t, second, h.DataKeys[1].ProviderInfo, "cached %v: the caller's later change reached the Client", cached)

			// The message decrypts under the second key alone, and not by a
			// Client of the third.
			_, err = newClient(t, k, second).Decrypt(context.Background(), msg, nil)
			require.NoError(t, err)
			_, err = newClient(t, k, third).Decrypt(context.Background(), msg, nil)
			assert.ErrorIs(t, err, envelope.ErrNoKey)
		}
		if cached {
			assert.Equal(t, uint64(1), cache.Stats().EncryptHits)
		}
	}
}
