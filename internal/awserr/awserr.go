// Package awserr reads the error code in the body of an AWS error answer,
// for backoff (throttling codes) and sigv4temp (expired-credential codes).
package awserr

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"strings"
)

// Code returns the error code of an AWS error body: the first <Code> element
// of an XML error (S3 and the query protocols), or the "__type" (else
// "code") member of a JSON one, as sent: a JSON code may carry a namespace
// before "#" and a URL after ":". It returns "" when the body holds no code
// or does not parse (a truncated body gives no code).
func Code(body []byte) string {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return ""
	}
	if body[0] == '{' {
		var j struct {
			Type string `json:"__type"`
			Code string `json:"code"`
		}
		if json.Unmarshal(body, &j) != nil {
			return ""
		}
		if j.Type != "" {
			return j.Type
		}
		return j.Code
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := d.Token()
		if err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "Code" {
			var c string
			if d.DecodeElement(&c, &se) != nil {
				return ""
			}
			return strings.TrimSpace(c)
		}
	}
}
