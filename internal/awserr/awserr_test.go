package awserr

import "testing"

func TestCode(t *testing.T) {
	for body, want := range map[string]string{
		"":   "",
		"  ": "",
		`<Error><Code>SlowDown</Code><Message>m</Message></Error>`:                  "SlowDown",
		`<ErrorResponse><Error><Code> ExpiredToken </Code></Error></ErrorResponse>`: "ExpiredToken",
		`<Error><Message>no code</Message></Error>`:                                 "",
		`<Error><Code>trunc`: "",
		`{"__type":"com.amazonaws.dynamodb#ThrottlingException","message":"m"}`: "com.amazonaws.dynamodb#ThrottlingException",
		`{"code":"ExpiredTokenException"}`:                                      "ExpiredTokenException",
		`{"__type":"A","code":"B"}`:                                             "A",
		`{"__type":"A"`:                                                         "",
		`not an error`:                                                          "",
	} {
		if got := Code([]byte(body)); got != want {
			t.Errorf("Code(%q) = %q, want %q", body, got, want)
		}
	}
}
