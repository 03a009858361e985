package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awskit/awskit/sigv4temp"
)

func tourSigV4Temp(w io.Writer) error {
	// Fixed temporary credentials and a fixed time: the same signature every run.
	creds := aws.Credentials{
		AccessKeyID:     "ASIAIOSFODNN7EXAMPLE",
		SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		SessionToken:    "IQoJb3JpZ2luX2VjEXAMPLETOKEN",
		CanExpire:       true,
		Expires:         time.Date(2026, 11, 25, 21, 0, 0, 0, time.UTC),
	}
	now := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)
	// A Signer's zero value is ready; it caches derived keys per credential
	// (the package functions Sign and Presign share a default one).
	var signer sigv4temp.Signer
	r, err := http.NewRequest("GET", "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15", nil)
	if err != nil {
		return err
	}
	if err := signer.Sign(context.Background(), r, creds, "sts", "us-east-1", now); err != nil {
		return err
	}
	fmt.Fprintln(w, "Authorization:", r.Header.Get("Authorization"))
	fmt.Fprintln(w, "X-Amz-Security-Token: (set, signed)", r.Header.Get("X-Amz-Security-Token") == creds.SessionToken)
	err = signer.Sign(context.Background(), r, creds, "sts", "us-east-1", now.Add(90*time.Minute))
	fmt.Fprintln(w, "90 minutes later:", err)

	// S3 needs no options: UNSIGNED-PAYLOAD and the path encoded once, as botocore presigns.
	get, err := http.NewRequest("GET", "https://examplebucket.s3.amazonaws.com/photos/cat 1.jpg", nil)
	if err != nil {
		return err
	}
	u, _, err := signer.Presign(context.Background(), get, creds, "s3", "us-east-1", now, 15*time.Minute)
	if err != nil {
		return err
	}
	pu, err := url.Parse(u)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "presigned S3 URL, 15 minutes: X-Amz-Signature="+pu.Query().Get("X-Amz-Signature"))
	return tourSigV4Verify(w, creds, u, now)
}

// tourSigV4Verify is the receiving side: a Verifier with a credential table.
func tourSigV4Verify(w io.Writer, creds aws.Credentials, presigned string, now time.Time) error {
	v, err := sigv4temp.NewVerifier(func(_ context.Context, id string) (aws.Credentials, error) {
		if id == creds.AccessKeyID {
			return creds, nil
		}
		return aws.Credentials{}, sigv4temp.ErrUnknownKey
	})
	if err != nil {
		return err
	}
	for _, target := range []string{presigned, strings.Replace(presigned, "cat%201", "dog%201", 1)} {
		r, err := http.NewRequest("GET", target, nil)
		if err != nil {
			return err
		}
		if vr, err := v.Verify(context.Background(), r, now.Add(time.Minute)); err != nil {
			fmt.Fprintln(w, "verify "+r.URL.Path+":", err)
		} else {
			fmt.Fprintln(w, "verify "+r.URL.Path+": ok,", vr.AccessKeyID, "valid until", vr.ValidUntil.Format(time.RFC3339))
		}
	}
	return nil
}
