package capacity

import "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

// Usage is capacity DynamoDB reported as consumed, summed over one or more
// ConsumedCapacity values (BatchGetItem and TransactWriteItems report one per
// table). Compare Total with this package's estimate for the same request.
type Usage struct {
	Total float64 // CapacityUnits: table and indexes
	Read  float64 // ReadCapacityUnits, where DynamoDB split them out
	Write float64 // WriteCapacityUnits, where DynamoDB split them out
	Table float64 // the table alone (ReturnConsumedCapacity INDEXES)
	// Indexes holds the units of each global and local secondary index, by
	// name (ReturnConsumedCapacity INDEXES); nil when none was reported.
	Indexes map[string]float64
}

// Consumed sums what DynamoDB reported in ConsumedCapacity. Nil fields count
// as zero.
func Consumed(cc ...types.ConsumedCapacity) Usage {
	var u Usage
	for _, c := range cc {
		u.Total += f64(c.CapacityUnits)
		u.Read += f64(c.ReadCapacityUnits)
		u.Write += f64(c.WriteCapacityUnits)
		if c.Table != nil {
			u.Table += f64(c.Table.CapacityUnits)
		}
		for _, m := range []map[string]types.Capacity{c.GlobalSecondaryIndexes, c.LocalSecondaryIndexes} {
			for name, ic := range m {
				if u.Indexes == nil {
					u.Indexes = make(map[string]float64)
				}
				u.Indexes[name] += f64(ic.CapacityUnits)
			}
		}
	}
	return u
}

func f64(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}
