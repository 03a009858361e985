package arn_test

import (
	"errors"
	"fmt"

	"github.com/awskit/awskit/arn"
)

// An alias ARN built from parts: the partition follows from the region.
func Example() {
	live := arn.Function{Region: "cn-north-1", AccountID: "123456789012", Name: "orders"}.WithAlias("live")
	if err := live.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(live)
	// Output: arn:aws-cn:lambda:cn-north-1:123456789012:function:orders:live
}

func ExampleParseFunction() {
	f, err := arn.ParseFunction("arn:aws:lambda:us-west-2:123456789012:function:orders:7")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f.Name, f.Qualifier, f.IsVersion(), f.IsAlias())
	fmt.Println(f.Unqualified())

	_, err = arn.ParseFunction("arn:aws:lambda:us-west-2:12345:function:orders")
	fmt.Println(errors.Is(err, arn.ErrInvalid), err)
	// Output:
	// orders 7 true false
	// arn:aws:lambda:us-west-2:123456789012:function:orders
	// true arn: invalid function ARN: account "12345": must be exactly 12 digits
}

func ExampleFunction_WithAlias() {
	f := arn.Function{Partition: "aws", Region: "eu-west-1", AccountID: "123456789012", Name: "thumbnailer"}
	fmt.Println(f.WithAlias("live"))
	fmt.Println(f.WithVersion(arn.Latest))
	fmt.Println(f.WithAlias("not valid").Validate())
	// Output:
	// arn:aws:lambda:eu-west-1:123456789012:function:thumbnailer:live
	// arn:aws:lambda:eu-west-1:123456789012:function:thumbnailer:$LATEST
	// arn: invalid function ARN: qualifier "not valid": must be "$LATEST", a version, or an alias of a-z, A-Z, 0-9, - and _
}

func ExampleParseFunctionName() {
	for _, s := range []string{"orders", "123456789012:function:orders:live", "arn:aws:lambda:us-east-1:123456789012:function:orders"} {
		f, err := arn.ParseFunctionName(s)
		fmt.Printf("%q account=%q qualifier=%q full=%v err=%v\n", f.Name, f.AccountID, f.Qualifier, f.HasARN(), err)
	}
	// Output:
	// "orders" account="" qualifier="" full=false err=<nil>
	// "orders" account="123456789012" qualifier="live" full=false err=<nil>
	// "orders" account="123456789012" qualifier="" full=true err=<nil>
}

func ExampleParseKey() {
	k, err := arn.ParseKey("arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(k.Region, k.AccountID, k.ID, k.IsAlias())

	a, _ := arn.ParseKey("arn:aws:kms:us-east-2:111122223333:alias/aws/s3")
	fmt.Println(a.Alias, a.IsAlias())
	// Output:
	// us-east-2 111122223333 1234abcd-12ab-34cd-56ef-1234567890ab false
	// alias/aws/s3 true
}

func ExampleValidateNewAlias() {
	fmt.Println(arn.ValidateNewAlias("alias/orders/prod"))
	fmt.Println(arn.ValidateNewAlias("alias/aws/orders"))
	// Output:
	// <nil>
	// arn: invalid alias name: alias "alias/aws/orders": the prefix "alias/aws/" is reserved for AWS managed keys
}

func ExamplePartitionOf() {
	for _, r := range []string{"us-east-1", "cn-northwest-1", "us-gov-east-1", "aws-global"} {
		p, ok := arn.PartitionOf(r)
		fmt.Println(r, p, ok)
	}
	// Output:
	// us-east-1 aws true
	// cn-northwest-1 aws-cn true
	// us-gov-east-1 aws-us-gov true
	// aws-global  false
}
