package sigv4temp

import (
	"errors"
	"fmt"
	"time"
)

// STSOperation is an STS operation that issues temporary credentials.
type STSOperation int

// The STS operations that issue temporary credentials.
const (
	GetSessionToken    STSOperation = iota + 1 // sts:GetSessionToken
	AssumeRole                                 // sts:AssumeRole
	GetFederationToken                         // sts:GetFederationToken
)

// String returns the operation's API name.
func (op STSOperation) String() string {
	switch op {
	case GetSessionToken:
		return "GetSessionToken"
	case AssumeRole:
		return "AssumeRole"
	case GetFederationToken:
		return "GetFederationToken"
	}
	return fmt.Sprintf("STSOperation(%d)", int(op))
}

// ErrDuration is matched by every session duration STS rejects for the
// operation; the error is a *DurationError naming the limit.
var ErrDuration = errors.New("sigv4temp: session duration out of range")

// DurationError reports a DurationSeconds outside what STS accepts. Its
// zero value is not meaningful; SessionDuration fills every field.
type DurationError struct {
	Op       STSOperation
	Duration time.Duration
	Min, Max time.Duration // the range STS accepts for Op, both ends included
	Reason   string        // which limit applies, e.g. "role chaining"
	Err      error         // ErrDuration
}

// Error returns "sigv4temp: session duration out of range: OP DURATION not
// in [MIN, MAX] (REASON)".
func (e *DurationError) Error() string {
	return fmt.Sprintf("%v: %v %v not in [%v, %v] (%s)", e.Err, e.Op, e.Duration, e.Min, e.Max, e.Reason)
}

// Unwrap returns Err (ErrDuration).
func (e *DurationError) Unwrap() error { return e.Err }

// SessionOptions describe the caller, for SessionDuration. The zero value is
// an IAM user (not root) and, for AssumeRole, a role with the default
// one-hour MaxSessionDuration, not chained.
type SessionOptions struct {
	// RootCredentials: the call is made with the account root user's
	// credentials (GetSessionToken, GetFederationToken; AssumeRole refuses
	// them).
	RootCredentials bool
	// RoleMaxSession is the role's MaxSessionDuration (1 to 12 hours), for
	// AssumeRole; 0 means 1 hour, the default of a role.
	RoleMaxSession time.Duration
	// RoleChaining: AssumeRole called with credentials from another
	// AssumeRole, which caps the session at 1 hour.
	RoleChaining bool
}

// STS session limits (STS API reference: GetSessionToken, AssumeRole,
// GetFederationToken; IAM User Guide, "Role chaining").
const (
	MinSession              = 15 * time.Minute
	MaxUserSession          = 36 * time.Hour // GetSessionToken, GetFederationToken
	DefaultUserSession      = 12 * time.Hour // GetSessionToken, GetFederationToken
	DefaultRoleSession      = time.Hour      // AssumeRole
	MaxRoleSession          = 12 * time.Hour // the largest MaxSessionDuration of a role
	MaxRootOrChainedSession = time.Hour      // root user sessions, role chaining
)

// SessionDuration returns the session duration STS grants for a requested
// DurationSeconds d of op (0 means the operation's default), or a
// *DurationError when STS rejects it:
//
//   - GetSessionToken and GetFederationToken: 15 min to 36 h, default 12 h.
//     With root credentials STS does not fail a longer request: it grants
//     1 hour. So does this function (AWS documents that such sessions
//     "default to one hour"), returning 1 h, not an error.
//   - AssumeRole: 15 min to the role's MaxSessionDuration (at most 12 h),
//     default 1 h; with role chaining at most 1 h, and longer requests fail.
//     Root user credentials cannot call AssumeRole: ErrInvalid.
//
// Durations must be whole seconds (a *DurationError with the operation's
// range).
func SessionDuration(op STSOperation, d time.Duration, o SessionOptions) (time.Duration, error) {
	fail := func(lo, hi time.Duration, reason string) (time.Duration, error) {
		return 0, &DurationError{Op: op, Duration: d, Min: lo, Max: hi, Reason: reason, Err: ErrDuration}
	}
	switch op {
	case GetSessionToken, GetFederationToken:
		if d%time.Second != 0 {
			return fail(MinSession, MaxUserSession, "DurationSeconds is a whole number of seconds")
		}
		if d == 0 {
			d = DefaultUserSession
		}
		if d < MinSession || d > MaxUserSession {
			return fail(MinSession, MaxUserSession, "IAM user sessions")
		}
		if o.RootCredentials && d > MaxRootOrChainedSession {
			return MaxRootOrChainedSession, nil
		}
		return d, nil
	case AssumeRole:
		if o.RootCredentials {
			// STS answers AccessDenied, "Roles may not be assumed by root
			// accounts" (IAM User Guide, "Compare AWS STS credentials": only
			// IAM users and roles call AssumeRole).
			return 0, fmt.Errorf("%w: AssumeRole cannot be called with root user credentials", ErrInvalid)
		}
		roleMax := o.RoleMaxSession
		if roleMax == 0 {
			roleMax = time.Hour
		}
		if roleMax < time.Hour || roleMax > MaxRoleSession {
			return fail(time.Hour, MaxRoleSession, "a role's MaxSessionDuration")
		}
		limit, reason := roleMax, "the role's MaxSessionDuration"
		if o.RoleChaining {
			limit, reason = MaxRootOrChainedSession, "role chaining"
		}
		if d%time.Second != 0 {
			return fail(MinSession, limit, "DurationSeconds is a whole number of seconds")
		}
		if d == 0 {
			d = DefaultRoleSession
		}
		if d < MinSession || d > limit {
			return fail(MinSession, limit, reason)
		}
		return d, nil
	}
	return 0, fmt.Errorf("%w: unknown operation %v", ErrInvalid, op)
}
