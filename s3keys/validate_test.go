package s3keys_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/awskit/awskit/s3keys"
)

func TestValidate(t *testing.T) {
	for _, ok := range []string{"a", "photos/2024/img.jpg", "ключ", "with space", "a//b", "/lead", "trail/", "..", strings.Repeat("x", 1024), strings.Repeat("é", 512)} {
		assert.NoError(t, s3keys.Validate(ok), "Validate(%q)", ok)
	}
	tests := []struct {
		key    string
		rule   string
		offset int
	}{
		{"", "empty", 0},
		{strings.Repeat("x", 1025), "too long", 1024},
		{strings.Repeat("é", 512) + "x", "too long", 1024},
		{"ab\xffcd", "invalid UTF-8", 2},
		{"abc\xe2\x82", "invalid UTF-8", 3},
		{"\xed\xa0\x80", "invalid UTF-8", 0}, // a UTF-16 surrogate
	}
	for _, tc := range tests {
		err := s3keys.Validate(tc.key)
		require.ErrorIs(t, err, s3keys.ErrInvalidKey, "Validate(%q)", tc.key)
		var ke *s3keys.KeyError
		require.True(t, errors.As(err, &ke))
		assert.Equal(t, tc.rule, ke.Rule)
		assert.Equal(t, tc.offset, ke.Offset)
	}
}

func TestValidateSafe(t *testing.T) {
	for _, ok := range []string{"a", "photos/2024/img_01.jpg", "a-b_c.d*e'f(g)!", "x/y/z", "...", ".a/b."} {
		assert.NoError(t, s3keys.ValidateSafe(ok), "ValidateSafe(%q)", ok)
	}
	tests := []struct {
		key    string
		rule   string
		offset int
	}{
		{"with space", "unsafe character", 4},
		{"a+b", "unsafe character", 1},
		{"ключ", "unsafe character", 0},
		{"a//b", "empty segment", 2},
		{"/lead", "empty segment", 0},
		{"trail/", "empty segment", 6},
		{"a/./b", "dot segment", 2},
		{"..", "dot segment", 0},
		{"a/..", "dot segment", 2},
		{"", "empty", 0},
	}
	for _, tc := range tests {
		err := s3keys.ValidateSafe(tc.key)
		var ke *s3keys.KeyError
		require.ErrorAs(t, err, &ke, "ValidateSafe(%q)", tc.key)
		assert.Equal(t, tc.rule, ke.Rule, "ValidateSafe(%q)", tc.key)
		assert.Equal(t, tc.offset, ke.Offset, "ValidateSafe(%q)", tc.key)
		if tc.key != "" {
			assert.NotContains(t, err.Error(), tc.key, "the key is not echoed")
		}
	}
}

func TestKeyErrorDoesNotEchoKey(t *testing.T) {
	secret := "users/jane.doe@example.com/\xff"
	err := s3keys.Validate(secret)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "jane")
	assert.Equal(t, "s3keys: invalid key: invalid UTF-8 at byte 27", err.Error())
}

func FuzzValidate(f *testing.F) {
	f.Add("a/b")
	f.Add("\xff")
	f.Add("a//b")
	f.Fuzz(func(t *testing.T, key string) {
		err := s3keys.Validate(key)
		safeErr := s3keys.ValidateSafe(key)
		if err != nil && safeErr == nil {
			t.Fatalf("ValidateSafe(%q) accepted what Validate rejects: %v", key, err)
		}
		for _, e := range []error{err, safeErr} {
			var ke *s3keys.KeyError
			if e != nil && (!errors.As(e, &ke) || ke.Offset < 0 || ke.Offset > len(key)) {
				t.Fatalf("Validate(%q): bad error %v", key, e)
			}
		}
	})
}

func TestEndpoints(t *testing.T) {
	tests := []struct{ bucket, region, want string }{
		{"acloudguru", "ap-southeast-2", "http://acloudguru.s3-website-ap-southeast-2.amazonaws.com"},
		{"site", "us-east-1", "http://site.s3-website-us-east-1.amazonaws.com"},
		{"site", "eu-west-1", "http://site.s3-website-eu-west-1.amazonaws.com"},
		{"site", "us-gov-west-1", "http://site.s3-website-us-gov-west-1.amazonaws.com"},
		{"site", "us-east-2", "http://site.s3-website.us-east-2.amazonaws.com"},
		{"site", "eu-central-1", "http://site.s3-website.eu-central-1.amazonaws.com"},
		{"site", "ap-south-1", "http://site.s3-website.ap-south-1.amazonaws.com"},
		{"site", "cn-northwest-1", "http://site.s3-website.cn-northwest-1.amazonaws.com.cn"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, host(s3keys.WebsiteEndpoint(tc.bucket, tc.region)))
	}
	assert.Equal(t, "reports-111122223333.s3-accesspoint.us-west-2.amazonaws.com", host(s3keys.AccessPointHost("reports", "111122223333", "us-west-2")))
	assert.Equal(t, "ap1-111122223333.s3-accesspoint.cn-north-1.amazonaws.com.cn", host(s3keys.AccessPointHost("ap1", "111122223333", "cn-north-1")))
}

// Issue 12 item 20: the DNS suffix comes from the partition table, so the
// ISO and EUSC partitions get theirs. The oracle is the SDK's own S3 endpoint
// resolver, given the access point's ARN.
func TestAccessPointHostAgreesWithSDK(t *testing.T) {
	r := s3.NewDefaultEndpointResolverV2()
	for _, tc := range []struct{ partition, region string }{
		{"aws", "us-west-2"}, {"aws-cn", "cn-north-1"}, {"aws-us-gov", "us-gov-west-1"},
		{"aws-iso", "us-iso-east-1"}, {"aws-iso-b", "us-isob-east-1"}, {"aws-iso-e", "eu-isoe-west-1"},
		{"aws-iso-f", "us-isof-south-1"}, {"aws-eusc", "eusc-de-east-1"},
	} {
		apARN := "arn:" + tc.partition + ":s3:" + tc.region + ":111122223333:accesspoint/reports"
		ep, err := r.ResolveEndpoint(context.Background(), s3.EndpointParameters{Region: aws.String(tc.region), Bucket: aws.String(apARN)})
		if err != nil {
			t.Logf("%s: the SDK resolves no access point endpoint: %v", tc.partition, err)
			continue
		}
		assert.Equal(t, ep.URI.Host, host(s3keys.AccessPointHost("reports", "111122223333", tc.region)), "AccessPointHost in %s", tc.region)
	}
	assert.Equal(t, "http://site.s3-website.us-iso-east-1.c2s.ic.gov", host(s3keys.WebsiteEndpoint("site", "us-iso-east-1")))
	assert.Equal(t, "http://site.s3-website.eusc-de-east-1.amazonaws.eu", host(s3keys.WebsiteEndpoint("site", "eusc-de-east-1")))
	assert.Equal(t, "http://site.s3-website.moon-east-1.amazonaws.com", host(s3keys.WebsiteEndpoint("site", "moon-east-1")))
}

// Issue 19 item 8: a logical key of 1,020-1,024 bytes passes Validate but is
// over S3's limit once sharded; Sharder.Validate says so. Issue 13 item 8:
// Offset is a byte offset (the first byte past the limit), Len the length.
func TestSharderValidateSaysTooLongWhenSharded(t *testing.T) {
	for digits := 1; digits <= s3keys.MaxDigits; digits++ {
		s := must(t, digits)
		limit := s3keys.MaxKeyBytes - digits - 1
		fits := strings.Repeat("k", limit)
		require.NoError(t, s.Validate(fits))
		require.NoError(t, s3keys.Validate(s.Key(fits)))
		require.Len(t, s.Key(fits), s3keys.MaxKeyBytes)
		for _, n := range []int{limit + 1, 1024} {
			long := strings.Repeat("k", n)
			require.NoError(t, s3keys.Validate(long), "the logical key alone is valid")
			require.Error(t, s3keys.Validate(s.Key(long)), "its sharded key is not")
			err := s.Validate(long)
			require.ErrorIs(t, err, s3keys.ErrInvalidKey)
			var ke *s3keys.KeyError
			require.ErrorAs(t, err, &ke)
			assert.Equal(t, "too long when sharded", ke.Rule)
			assert.Equal(t, limit, ke.Offset)
			assert.Equal(t, n, ke.Len)
			assert.Equal(t, fmt.Sprintf("s3keys: invalid key: too long when sharded (%d bytes, at most %d)", n, limit), err.Error())
		}
		// What Validate rejects, Sharder.Validate rejects the same way.
		var ke *s3keys.KeyError
		require.ErrorAs(t, s.Validate("ab\xff"), &ke)
		assert.Equal(t, "invalid UTF-8", ke.Rule)
		require.ErrorAs(t, s.Validate(strings.Repeat("k", 1025)), &ke)
		assert.Equal(t, "too long", ke.Rule)
		assert.Equal(t, 1024, ke.Offset)
		assert.Equal(t, 1025, ke.Len)
	}
	assert.ErrorIs(t, s3keys.Sharder{}.Validate("k"), s3keys.ErrInvalidDigits)
}

func host(s string, err error) string {
	if err != nil {
		panic(err)
	}
	return s
}

// A review found the endpoint builders copied input into the host: a region
// "evil.example#" made evil.example the host. Both now validate every part.
func TestEndpointsRejectWhatChangesTheHost(t *testing.T) {
	bad := []struct{ bucket, region string }{
		{"site", "evil.example#"}, {"site", "us-east-1/x"}, {"site", ""}, {"site", "-us-east-1"},
		{"site", "us--east-1"}, {"site", "US-EAST-1"}, {"evil.com#", "us-east-1"}, {"a/b", "us-east-1"},
		{"ab", "us-east-1"}, {strings.Repeat("a", 64), "us-east-1"}, {"-site", "us-east-1"},
		{"site-", "us-east-1"}, {"a..b", "us-east-1"}, {"192.168.5.4", "us-east-1"}, {"Site", "us-east-1"},
		{"site", "us-east-1\x00"}, {"site", strings.Repeat("a", 64)},
	}
	for _, tc := range bad {
		u, err := s3keys.WebsiteEndpoint(tc.bucket, tc.region)
		assert.ErrorIs(t, err, s3keys.ErrInvalidArgument, "WebsiteEndpoint(%q, %q) = %q", tc.bucket, tc.region, u)
		assert.Empty(t, u)
	}
	for _, tc := range []struct{ name, account, region string }{
		{"evil.com#", "111122223333", "us-west-2"}, {"ab", "111122223333", "us-west-2"},
		{strings.Repeat("a", 51), "111122223333", "us-west-2"}, {"reports-", "111122223333", "us-west-2"},
		{"-reports", "111122223333", "us-west-2"}, {"Reports", "111122223333", "us-west-2"},
		{"reports", "11112222333", "us-west-2"}, {"reports", "11112222333x", "us-west-2"},
		{"reports", "111122223333", "us-west-2.evil"}, {"reports", "111122223333", ""},
	} {
		h, err := s3keys.AccessPointHost(tc.name, tc.account, tc.region)
		assert.ErrorIs(t, err, s3keys.ErrInvalidArgument, "AccessPointHost(%q, %q, %q) = %q", tc.name, tc.account, tc.region, h)
		assert.Empty(t, h)
	}
	// The edges that stay valid: 3 and 63 bytes, dots, digits first, 50-byte access points.
	for _, b := range []string{"abc", strings.Repeat("a", 63), "my.site.example", "1site"} {
		_, err := s3keys.WebsiteEndpoint(b, "eu-central-1")
		assert.NoError(t, err, b)
	}
	_, err := s3keys.AccessPointHost(strings.Repeat("a", 50), "111122223333", "us-west-2")
	assert.NoError(t, err)
}
