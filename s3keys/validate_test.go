package s3keys_test

import (
	"errors"
	"strings"
	"testing"

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
		{strings.Repeat("x", 1025), "too long", 1025},
		{strings.Repeat("é", 512) + "x", "too long", 1025},
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
		assert.Equal(t, tc.want, s3keys.WebsiteEndpoint(tc.bucket, tc.region))
	}
	assert.Equal(t, "reports-111122223333.s3-accesspoint.us-west-2.amazonaws.com", s3keys.AccessPointHost("reports", "111122223333", "us-west-2"))
	assert.Equal(t, "ap-111122223333.s3-accesspoint.cn-north-1.amazonaws.com.cn", s3keys.AccessPointHost("ap", "111122223333", "cn-north-1"))
}
