package sigv4temp_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/awskit/awskit/sigv4temp"
)

// A Signer (the zero value is ready) signs a request and presigns an S3 URL
// at a fixed time; a Transport made from it signs every request it sends,
// reading its clock once per attempt. Both signatures agree with botocore's
// (SigV4Auth, S3SigV4QueryAuth) for the same inputs.
func Example() {
	var signer sigv4temp.Signer
	creds := aws.Credentials{
		AccessKeyID:     "ASIAIOSFODNN7EXAMPLE",
		SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		SessionToken:    "IQoJb3JpZ2luX2VjEXAMPLETOKEN",
		CanExpire:       true,
		Expires:         time.Date(2026, 11, 25, 21, 0, 0, 0, time.UTC),
	}
	now := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)
	ctx := context.Background()

	r, _ := http.NewRequest("GET", "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15", nil)
	if err := signer.Sign(ctx, r, creds, "sts", "us-east-1", now); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Header.Get("Authorization"))

	// S3 defaults: UNSIGNED-PAYLOAD, path encoded once.
	get, _ := http.NewRequest("GET", "https://examplebucket.s3.amazonaws.com/photos/cat 1.jpg", nil)
	u, _, err := signer.Presign(ctx, get, creds, "s3", "us-east-1", now, 15*time.Minute)
	if err != nil {
		fmt.Println(err)
		return
	}
	pu, _ := url.Parse(u)
	fmt.Println(pu.Path, pu.Query().Get("X-Amz-Expires"), pu.Query().Get("X-Amz-Signature"))

	// A Transport with a fixed clock, against a local server.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, r.Header.Get("X-Amz-Date"))
	}))
	defer srv.Close()
	provider := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return creds, nil })
	tr, err := signer.Transport(nil, provider, "execute-api", "eu-west-1", func(o *sigv4temp.TransportOptions) {
		o.Now = func() time.Time { return now.Add(30 * time.Minute) }
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	resp, err := (&http.Client{Transport: tr}).Get(srv.URL + "/orders")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	date, _ := io.ReadAll(resp.Body)
	fmt.Println(string(date))
	// Output:
	// AWS4-HMAC-SHA256 Credential=ASIAIOSFODNN7EXAMPLE/20261125/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=6ac2589afb3c2df6309cd71d75177d225e5d1605769c442c4e782ca9d8a5e7d8
	// /photos/cat 1.jpg 900 25748fc3af2d7607fe7a6eabfa836ff864ffed07061cb543158373b3cc4a81b4
	// 20261125T203000Z
}

// The signature below agrees with botocore's SigV4Auth for the same request.
func ExampleSign() {
	creds := aws.Credentials{
		AccessKeyID:     "ASIAIOSFODNN7EXAMPLE",
		SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		SessionToken:    "IQoJb3JpZ2luX2VjEXAMPLETOKEN",
		CanExpire:       true,
		Expires:         time.Date(2026, 11, 25, 21, 0, 0, 0, time.UTC),
	}
	now := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)
	r, _ := http.NewRequest("GET", "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15", nil)
	if err := sigv4temp.Sign(context.Background(), r, creds, "sts", "us-east-1", now); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Header.Get("Authorization"))
	fmt.Println(r.Header.Get("X-Amz-Security-Token"))

	err := sigv4temp.Sign(context.Background(), r, creds, "sts", "us-east-1", now.Add(2*time.Hour))
	fmt.Println(err)
	// Output:
	// AWS4-HMAC-SHA256 Credential=ASIAIOSFODNN7EXAMPLE/20261125/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=6ac2589afb3c2df6309cd71d75177d225e5d1605769c442c4e782ca9d8a5e7d8
	// IQoJb3JpZ2luX2VjEXAMPLETOKEN
	// sigv4temp: credentials expired: access key ASIAIOSFODNN7EXAMPLE expired at 2026-11-25T21:00:00Z, signing at 2026-11-25T22:00:00Z
}

func ExamplePresign() {
	creds := aws.Credentials{AccessKeyID: "ASIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", SessionToken: "TOKEN"}
	now := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)
	r, _ := http.NewRequest("GET", "https://examplebucket.s3.amazonaws.com/test.txt", nil)
	signed, _, err := sigv4temp.Presign(context.Background(), r, creds, "s3", "us-east-1", now, 15*time.Minute) // S3: UNSIGNED-PAYLOAD
	if err != nil {
		fmt.Println(err)
		return
	}
	u, _ := url.Parse(signed)
	q := u.Query()
	fmt.Println(q.Get("X-Amz-Expires"), q.Get("X-Amz-Security-Token"), len(q.Get("X-Amz-Signature")))
	// Output: 900 TOKEN 64
}

func ExampleNewTransport() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "token=%s signed=%v", r.Header.Get("X-Amz-Security-Token"), r.Header.Get("Authorization") != "")
	}))
	defer srv.Close()

	provider := aws.CredentialsProviderFunc(func(ctx context.Context) (aws.Credentials, error) {
		// In production: sts AssumeRole, the EC2/ECS role provider, ...
		return aws.Credentials{AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: "secret", SessionToken: "session-1",
			CanExpire: true, Expires: time.Now().Add(time.Hour)}, nil
	})
	tr, err := sigv4temp.NewTransport(nil, provider, "execute-api", "eu-west-1")
	if err != nil {
		fmt.Println(err)
		return
	}
	client := &http.Client{Transport: tr}
	resp, err := client.Get(srv.URL + "/orders")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(string(body))
	// Output: token=session-1 signed=true
}

func ExampleSessionDuration() {
	d, err := sigv4temp.SessionDuration(sigv4temp.AssumeRole, 2*time.Hour, sigv4temp.SessionOptions{RoleMaxSession: 4 * time.Hour})
	fmt.Println(d, err)
	_, err = sigv4temp.SessionDuration(sigv4temp.AssumeRole, 2*time.Hour, sigv4temp.SessionOptions{RoleMaxSession: 4 * time.Hour, RoleChaining: true})
	fmt.Println(err)
	d, _ = sigv4temp.SessionDuration(sigv4temp.GetSessionToken, 0, sigv4temp.SessionOptions{RootCredentials: true})
	fmt.Println(d)
	// Output:
	// 2h0m0s <nil>
	// sigv4temp: session duration out of range: AssumeRole 2h0m0s not in [15m0s, 1h0m0s] (role chaining)
	// 1h0m0s
}
