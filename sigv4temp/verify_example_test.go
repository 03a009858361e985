package sigv4temp_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awskit/awskit/sigv4temp"
)

// Verify a presigned URL made with temporary credentials, as a service that
// hands out such URLs would on receiving them.
func ExampleVerifier_Verify() {
	creds := aws.Credentials{AccessKeyID: "ASIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		SessionToken: "IQoJb3JpZ2luX2VjEXAMPLETOKEN", CanExpire: true, Expires: time.Date(2026, 11, 25, 21, 0, 0, 0, time.UTC)}
	now := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)
	v, err := sigv4temp.NewVerifier(func(_ context.Context, accessKeyID string) (aws.Credentials, error) {
		if accessKeyID == creds.AccessKeyID {
			return creds, nil // in production: a table, a database, STS
		}
		return aws.Credentials{}, sigv4temp.ErrUnknownKey
	}, func(o *sigv4temp.VerifierOptions) { o.Services = []string{"s3"} })
	if err != nil {
		fmt.Println(err)
		return
	}

	get, _ := http.NewRequest("GET", "https://examplebucket.s3.amazonaws.com/reports/2026.csv", nil)
	signed, _, err := sigv4temp.Presign(context.Background(), get, creds, "s3", "us-east-1", now, 15*time.Minute)
	if err != nil {
		fmt.Println(err)
		return
	}

	received, _ := http.NewRequest("GET", signed, nil)
	vr, err := v.Verify(context.Background(), received, now.Add(time.Minute))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(vr.AccessKeyID, vr.Service, vr.Presigned, "valid until", vr.ValidUntil.Format(time.Kitchen))

	_, err = v.Verify(context.Background(), received, now.Add(20*time.Minute))
	fmt.Println(errors.Is(err, sigv4temp.ErrRequestExpired))
	// Output:
	// ASIAIOSFODNN7EXAMPLE s3 true valid until 8:15PM
	// true
}

// Upload content whose bytes are not known in advance (here a reader), with
// temporary credentials, signed chunk by chunk as it is sent.
func ExampleSignStreaming() {
	creds := aws.Credentials{AccessKeyID: "ASIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		SessionToken: "IQoJb3JpZ2luX2VjEXAMPLETOKEN"}
	now := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)
	content := io.LimitReader(zeros{}, 200_000) // e.g. an *os.File; its length is needed, not its bytes
	r, _ := http.NewRequest("PUT", "https://examplebucket.s3.amazonaws.com/uploads/data.bin", content)
	r.ContentLength = 200_000

	err := sigv4temp.SignStreaming(context.Background(), r, creds, "s3", "us-east-1", now, func(o *sigv4temp.StreamingOptions) {
		o.Trailer = sigv4temp.ChecksumCRC32C
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Header.Get("Content-Encoding"), r.Header.Get("X-Amz-Content-Sha256"))
	fmt.Println(r.Header.Get("X-Amz-Decoded-Content-Length"), "bytes sent as", r.ContentLength)

	// What S3 (or a Verifier) receives: 64 KiB chunks, each signed.
	wire, _ := io.ReadAll(r.Body)
	fmt.Println(bytes.Count(wire, []byte(";chunk-signature=")), "chunk signatures,", bytes.Count(wire, []byte("x-amz-checksum-crc32c:")), "checksum trailer")
	// Output:
	// aws-chunked STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER
	// 200000 bytes sent as 200566
	// 5 chunk signatures, 1 checksum trailer
}

type zeros struct{}

func (zeros) Read(b []byte) (int, error) { clear(b); return len(b), nil }
