// Command signed-request signs a real request with credentials from the
// default chain (environment, shared config, SSO, the EC2/ECS role
// providers) and sends it: by default STS GetCallerIdentity, which any
// credentials may call.
//
//	go run ./examples/signed-request
//	go run ./examples/signed-request -url 'https://sqs.eu-west-1.amazonaws.com/?Action=ListQueues' -service sqs -region eu-west-1
//
// It needs network access and credentials; CI only compiles it.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/awskit/awskit/sigv4temp"
)

func main() {
	target := flag.String("url", "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15", "request URL")
	service := flag.String("service", "sts", "signing name of the service")
	region := flag.String("region", "us-east-1", "signing region")
	flag.Parse()
	if err := run(*target, *service, *region); err != nil {
		fmt.Fprintln(os.Stderr, "signed-request:", err)
		os.Exit(1)
	}
}

func run(target, service, region string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return err
	}
	tr, err := sigv4temp.NewTransport(nil, cfg.Credentials, service, region)
	if err != nil {
		return err
	}
	client := &http.Client{Transport: tr}
	req, err := http.NewRequestWithContext(ctx, "GET", target, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	fmt.Println(resp.Status)
	fmt.Println(string(body))
	return nil
}
