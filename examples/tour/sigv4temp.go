package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
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
	r, err := http.NewRequest("GET", "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15", nil)
	if err != nil {
		return err
	}
	if err := sigv4temp.Sign(context.Background(), r, creds, "sts", "us-east-1", now); err != nil {
		return err
	}
	fmt.Fprintln(w, "Authorization:", r.Header.Get("Authorization"))
	fmt.Fprintln(w, "X-Amz-Security-Token: (set, signed)", r.Header.Get("X-Amz-Security-Token") == creds.SessionToken)
	err = sigv4temp.Sign(context.Background(), r, creds, "sts", "us-east-1", now.Add(90*time.Minute))
	fmt.Fprintln(w, "90 minutes later:", err)
	return nil
}
