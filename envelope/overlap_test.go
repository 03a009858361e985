package envelope_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/envelope"
)

// EncryptAppend and DecryptAppend refuse dst's capacity over their input at
// the edges too: sharing only the input's first or last byte is an overlap
// (ErrInvalidInput, input untouched), ending just before or starting just
// after it is not (the call succeeds, the input untouched). An empty input
// with spare capacity in dst overlaps nothing and must not panic.
func TestAppendOverlapEdges(t *testing.T) {
	envelope.LowerParallelThresholds(t)
	ctx := context.Background()
	for _, conc := range []int{1, 2} {
		mk, msg, pt := attackClients(t, 4096, 4, envelope.SuiteCommitKey)
		c := mk(conc)
		type layout struct {
			overlap bool
			// place puts in (len n) into a fresh buffer and returns dst and
			// the input as slices of it.
			place func(in []byte) (dst, input []byte)
		}
		const room = 1 << 16
		layouts := map[string]layout{
			"dst's capacity starts at the input's last byte": {true, func(in []byte) ([]byte, []byte) {
				buf := make([]byte, len(in)+room)
				copy(buf, in)
				return buf[len(in)-1 : len(in)-1], buf[:len(in)]
			}},
			"dst's capacity ends at the input's first byte": {true, func(in []byte) ([]byte, []byte) {
				buf := make([]byte, room+len(in))
				copy(buf[room-1:], in)
				return buf[:0:room], buf[room-1 : room-1+len(in)]
			}},
			"dst's capacity starts just after the input": {false, func(in []byte) ([]byte, []byte) {
				buf := make([]byte, len(in)+room)
				copy(buf, in)
				return buf[len(in):len(in)], buf[:len(in)]
			}},
			"dst's capacity ends just before the input": {false, func(in []byte) ([]byte, []byte) {
				buf := make([]byte, room+len(in))
				copy(buf[room:], in)
				return buf[:0:room], buf[room:]
			}},
		}
		for name, l := range layouts {
			what := fmt.Sprintf("concurrency %d, %s", conc, name)

			dst, input := l.place(msg)
			out, err := c.DecryptAppend(ctx, dst, input, nil)
			assert.Equal(t, msg, input, "%s: DecryptAppend left the message untouched", what)
			if l.overlap {
				assert.ErrorIs(t, err, envelope.ErrInvalidInput, "%s: DecryptAppend", what)
				assert.Nil(t, out)
			} else {
				require.NoError(t, err, "%s: DecryptAppend", what)
				assert.Equal(t, pt, out, "%s: DecryptAppend", what)
			}

			dst, input = l.place(pt)
			out, err = c.EncryptAppend(ctx, dst, input, nil)
			assert.Equal(t, pt, input, "%s: EncryptAppend left the plaintext untouched", what)
			if l.overlap {
				assert.ErrorIs(t, err, envelope.ErrInvalidInput, "%s: EncryptAppend", what)
				assert.Nil(t, out)
			} else {
				require.NoError(t, err, "%s: EncryptAppend", what)
				back, err := c.Decrypt(ctx, out, nil)
				require.NoError(t, err, what)
				assert.Equal(t, pt, back, "%s: EncryptAppend", what)
			}
		}

		// An empty input beside spare capacity.
		spare := make([]byte, 0, room)
		out, err := c.EncryptAppend(ctx, spare, []byte{}, nil)
		require.NoError(t, err, "concurrency %d: EncryptAppend of nothing into spare capacity", conc)
		back, err := c.Decrypt(ctx, out, nil)
		require.NoError(t, err)
		assert.Empty(t, back)
		out, err = c.DecryptAppend(ctx, spare, []byte{}, nil)
		assert.Nil(t, out)
		assert.Error(t, err, "concurrency %d: DecryptAppend of an empty message", conc)
		assert.NotErrorIs(t, err, envelope.ErrInvalidInput, "concurrency %d: an empty message overlaps nothing", conc)
	}
}
