// Command envelope-file encrypts or decrypts a file with a real KMS key, in
// the AWS Encryption SDK message format, streaming in bounded memory. The
// output decrypts with the AWS Encryption CLI and SDKs, and theirs here.
//
//	go run ./examples/envelope-file -key arn:aws:kms:REGION:ACCOUNT:key/ID -in report.csv -out report.csv.enc
//	go run ./examples/envelope-file -d -key arn:aws:kms:REGION:ACCOUNT:key/ID -in report.csv.enc -out report.csv
//
// Credentials and region come from the default chain. It needs network access
// and a KMS key; CI only compiles it.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/awskit/awskit/arn"
	"github.com/awskit/awskit/envelope"
)

func main() {
	key := flag.String("key", "", "KMS key ARN")
	in := flag.String("in", "", "input file")
	out := flag.String("out", "", "output file (created; removed on failure)")
	decrypt := flag.Bool("d", false, "decrypt instead of encrypt")
	purpose := flag.String("context", "envelope-file", "value of the encryption context pair purpose=...")
	flag.Parse()
	if err := run(*key, *in, *out, *decrypt, *purpose); err != nil {
		fmt.Fprintln(os.Stderr, "envelope-file:", err)
		os.Exit(1)
	}
}

func run(keyARN, inPath, outPath string, decrypt bool, purpose string) (err error) {
	if inPath == "" || outPath == "" {
		return fmt.Errorf("-in and -out are required")
	}
	k, err := arn.ParseKey(keyARN)
	if err != nil {
		return err
	}
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(k.Region))
	if err != nil {
		return err
	}
	c, err := envelope.New(kms.NewFromConfig(cfg), keyARN)
	if err != nil {
		return err
	}
	src, err := os.Open(inPath)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(outPath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := dst.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(outPath) // never leave a partial plaintext or message behind
		}
	}()
	ec := map[string]string{"purpose": purpose}
	if decrypt {
		r, err := c.DecryptStream(ctx, src, ec)
		if err != nil {
			return err
		}
		_, err = io.Copy(dst, r)
		return err
	}
	w, err := c.EncryptStream(ctx, dst, ec)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, src); err != nil {
		return err
	}
	return w.Close()
}
