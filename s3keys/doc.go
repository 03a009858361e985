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
// # Validation
//
// [Validate] rejects what S3 rejects (empty, over 1,024 bytes, invalid
// UTF-8); [ValidateSafe] also keeps to S3's "safe characters". Errors name the
// rule and the byte offset, never the key.
//
// # References
//
//   - Performance design patterns:
//     https://docs.aws.amazon.com/AmazonS3/latest/userguide/optimizing-performance.html
//   - Naming S3 objects: https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html
//   - Website endpoints: https://docs.aws.amazon.com/AmazonS3/latest/userguide/WebsiteEndpoints.html
package s3keys
