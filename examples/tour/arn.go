package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/awskit/awskit/arn"
)

func tourARN(w io.Writer) error {
	// An alias ARN built from parts: the partition follows from the region.
	fn := arn.Function{Region: "cn-north-1", AccountID: "123456789012", Name: "orders"}.WithAlias("live")
	if err := fn.Validate(); err != nil {
		return err
	}
	fmt.Fprintln(w, "alias ARN built from parts:", fn)

	key, err := arn.ParseKey("arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "parsed KMS key ARN: partition=%s region=%s account=%s id=%s multi-Region=%v\n",
		key.Partition, key.Region, key.AccountID, key.ID, key.IsMultiRegion())

	// What the SDK's arn.Parse accepts and this package rejects, with the field named.
	for _, s := range []string{"arn:::::", "arn:aws:lambda:us-east-1:12345:function:orders", "arn:aws:lambda:cn-north-1:123456789012:function:orders"} {
		_, err := arn.ParseFunction(s)
		var pe *arn.Error
		if !errors.As(err, &pe) {
			return fmt.Errorf("ParseFunction(%q) = %v, want an *arn.Error", s, err)
		}
		fmt.Fprintf(w, "rejected %-55q field=%s: %s\n", s, pe.Field, pe.Reason)
	}
	return nil
}
