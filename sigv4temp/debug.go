package sigv4temp

import "github.com/aws/smithy-go/logging"

// debugLogger receives the SDK signer's canonical request and string to sign.
// It is nil outside this package's own tests: signing is never logged,
// since the canonical request contains the session token.
var debugLogger logging.Logger
