// Package s3keys spreads S3 keys across partitions with a deterministic hash
// prefix, reverses it, lists a logical prefix across every shard, and checks
// keys against S3's rules.
//
// # Why a prefix
//
// S3 serves at least 3,500 writes and 5,500 reads per second per partitioned
// prefix. Keys that share a sequential prefix (timestamps, ascending IDs)
// land on one partition; a short hash in front of each key spreads them.
//
// # The definition (language-neutral)
//
// The prefix of a key is the first Digits characters (1..4) of the lowercase
// hex SHA-256 of the key's UTF-8 bytes; the sharded key is PREFIX + "/" + KEY.
// Any writer of the same bucket computes it in one line:
//
//	printf '%s' "$KEY" | sha256sum | cut -c1-2                 # shell, 2 digits
//	hashlib.sha256(key.encode()).hexdigest()[:2] + "/" + key   # Python
//
// The logical key stays intact after the "/", so [Sharder.Split] recovers it,
// and verifies the prefix.
//
// # Listing
//
// A logical prefix now lives under every shard. [List] queries all 16^Digits
// shards concurrently (bounded), pages each with continuation tokens, and
// merges them into logical-key order as a Go iterator that stops cleanly when
// the loop ends. It takes the SDK's s3.ListObjectsV2APIClient; s3keystest has
// an in-memory bucket for tests.
//
// List trusts nothing the server sends: an entry without a key or outside the
// requested prefix, keys out of order, a page over MaxKeys, a repeated
// continuation token or a truncated page without one end the listing with an
// error matching [ErrBadResponse], never a panic, a loop or a silent gap. It
// is the one function of this module that starts goroutines (the exception
// STYLE.md's rule 18 allows): at most ListOptions.Concurrency, all finished
// before the loop ends; its doc states the memory bound.
//
// # Validation
//
// [Validate] rejects what S3 rejects (empty, over 1,024 bytes, invalid
// UTF-8); [Sharder.Validate] also rejects a logical key that is too long once
// sharded; [ValidateSafe] also keeps to S3's "safe characters". Errors name
// the rule and the byte offset, never the key.
//
// # Errors
//
// Every error matches one of the Err* sentinels with errors.Is; [KeyError]
// and [ListError] carry the details.
//
// # Options
//
// One rule across awskit: constructors and I/O calls take their required
// inputs positionally, then optFns ...func(*XOptions) over an exported
// options struct whose zero value means the documented defaults (here
// [List] with [ListOptions]); pure calculations ([Sharder.Key], [Validate],
// [WebsiteEndpoint], ...) take their inputs by value. context.Context comes
// first in anything that does I/O.
//
// # References
//
//   - Performance design patterns:
//     https://docs.aws.amazon.com/AmazonS3/latest/userguide/optimizing-performance.html
//   - Naming S3 objects: https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html
//   - Website endpoints: https://docs.aws.amazon.com/AmazonS3/latest/userguide/WebsiteEndpoints.html
//   - ListObjectsV2 (MaxKeys, continuation tokens, directory buckets):
//     https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
package s3keys
