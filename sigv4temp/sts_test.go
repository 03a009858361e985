package sigv4temp_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/sigv4temp"
)

func TestSessionDuration(t *testing.T) {
	h := time.Hour
	tests := []struct {
		op   sigv4temp.STSOperation
		d    time.Duration
		o    sigv4temp.SessionOptions
		want time.Duration
		err  bool
	}{
		{sigv4temp.GetSessionToken, 0, sigv4temp.SessionOptions{}, 12 * h, false},
		{sigv4temp.GetSessionToken, 900 * time.Second, sigv4temp.SessionOptions{}, 15 * time.Minute, false},
		{sigv4temp.GetSessionToken, 899 * time.Second, sigv4temp.SessionOptions{}, 0, true},
		{sigv4temp.GetSessionToken, 129600 * time.Second, sigv4temp.SessionOptions{}, 36 * h, false},
		{sigv4temp.GetSessionToken, 129601 * time.Second, sigv4temp.SessionOptions{}, 0, true},
		{sigv4temp.GetSessionToken, 0, sigv4temp.SessionOptions{RootCredentials: true}, h, false},
		{sigv4temp.GetSessionToken, 2 * h, sigv4temp.SessionOptions{RootCredentials: true}, h, false},
		{sigv4temp.GetSessionToken, 30 * time.Minute, sigv4temp.SessionOptions{RootCredentials: true}, 30 * time.Minute, false},
		{sigv4temp.GetFederationToken, 0, sigv4temp.SessionOptions{}, 12 * h, false},
		{sigv4temp.GetFederationToken, 37 * h, sigv4temp.SessionOptions{}, 0, true},
		{sigv4temp.AssumeRole, 0, sigv4temp.SessionOptions{}, h, false},
		{sigv4temp.AssumeRole, 15 * time.Minute, sigv4temp.SessionOptions{}, 15 * time.Minute, false},
		{sigv4temp.AssumeRole, 899 * time.Second, sigv4temp.SessionOptions{}, 0, true},
		{sigv4temp.AssumeRole, h, sigv4temp.SessionOptions{RoleMaxSession: h}, h, false},
		{sigv4temp.AssumeRole, 2 * h, sigv4temp.SessionOptions{}, 0, true},
		{sigv4temp.AssumeRole, 2 * h, sigv4temp.SessionOptions{RoleMaxSession: 4 * h}, 2 * h, false},
		{sigv4temp.AssumeRole, 12 * h, sigv4temp.SessionOptions{RoleMaxSession: 12 * h}, 12 * h, false},
		{sigv4temp.AssumeRole, 13 * h, sigv4temp.SessionOptions{RoleMaxSession: 12 * h}, 0, true},
		{sigv4temp.AssumeRole, 2 * h, sigv4temp.SessionOptions{RoleMaxSession: 12 * h, RoleChaining: true}, 0, true},
		{sigv4temp.AssumeRole, h, sigv4temp.SessionOptions{RoleMaxSession: 12 * h, RoleChaining: true}, h, false},
		{sigv4temp.AssumeRole, h, sigv4temp.SessionOptions{RoleMaxSession: 13 * h}, 0, true},
		{sigv4temp.AssumeRole, 1500 * time.Millisecond * 1000, sigv4temp.SessionOptions{}, 1500 * time.Second, false},
		{sigv4temp.AssumeRole, 1000*time.Second + time.Millisecond, sigv4temp.SessionOptions{}, 0, true},
	}
	for _, tc := range tests {
		got, err := sigv4temp.SessionDuration(tc.op, tc.d, tc.o)
		if tc.err {
			require.Error(t, err, "%v %v %+v", tc.op, tc.d, tc.o)
			assert.ErrorIs(t, err, sigv4temp.ErrDuration)
			var de *sigv4temp.DurationError
			require.True(t, errors.As(err, &de))
			assert.Equal(t, tc.op, de.Op)
			continue
		}
		require.NoError(t, err, "%v %v %+v", tc.op, tc.d, tc.o)
		assert.Equal(t, tc.want, got, "%v %v %+v", tc.op, tc.d, tc.o)
	}
	_, err := sigv4temp.SessionDuration(sigv4temp.STSOperation(9), time.Hour, sigv4temp.SessionOptions{})
	assert.ErrorIs(t, err, sigv4temp.ErrInvalid)
	_, err = sigv4temp.SessionDuration(sigv4temp.AssumeRole, 2*h, sigv4temp.SessionOptions{RoleChaining: true})
	assert.EqualError(t, err, "sigv4temp: session duration out of range: AssumeRole 2h0m0s not in [15m0s, 1h0m0s] (role chaining)")
	assert.Equal(t, "GetSessionToken", sigv4temp.GetSessionToken.String())
}

func TestSTSOperationString(t *testing.T) {
	assert.Equal(t, "AssumeRole", sigv4temp.AssumeRole.String())
	assert.Equal(t, "GetFederationToken", sigv4temp.GetFederationToken.String())
	assert.Equal(t, "STSOperation(9)", sigv4temp.STSOperation(9).String())
}

// Issue 12.12: the whole-seconds error printed the range [15m0s, 0s], and
// root credentials were accepted for AssumeRole, which STS refuses.
func TestSessionDurationEdges(t *testing.T) {
	_, err := sigv4temp.SessionDuration(sigv4temp.GetSessionToken, 1000*time.Second+time.Millisecond, sigv4temp.SessionOptions{})
	assert.EqualError(t, err, "sigv4temp: session duration out of range: GetSessionToken 16m40.001s not in [15m0s, 36h0m0s] (DurationSeconds is a whole number of seconds)")
	_, err = sigv4temp.SessionDuration(sigv4temp.AssumeRole, 1000*time.Second+time.Millisecond, sigv4temp.SessionOptions{RoleChaining: true})
	assert.EqualError(t, err, "sigv4temp: session duration out of range: AssumeRole 16m40.001s not in [15m0s, 1h0m0s] (DurationSeconds is a whole number of seconds)")
	var de *sigv4temp.DurationError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, sigv4temp.ErrDuration, de.Err)
	assert.Equal(t, "DurationSeconds is a whole number of seconds", de.Reason)

	for _, d := range []time.Duration{0, time.Hour} {
		_, err = sigv4temp.SessionDuration(sigv4temp.AssumeRole, d, sigv4temp.SessionOptions{RootCredentials: true})
		assert.ErrorIs(t, err, sigv4temp.ErrInvalid)
		assert.NotErrorIs(t, err, sigv4temp.ErrDuration)
	}
}
