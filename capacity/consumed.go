package capacity

import "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

// Usage is capacity consumed by a request, in the shape of DynamoDB's
// ConsumedCapacity: what DynamoDB reported (Consumed), or what this package
// predicts (Table.Write). Compare the two with Match. The zero value is no
// consumption.
type Usage struct {
	Total float64 // CapacityUnits: table and indexes
	Read  float64 // ReadCapacityUnits, where DynamoDB split them out
	Write float64 // WriteCapacityUnits, where DynamoDB split them out
	Table float64 // the table alone (ReturnConsumedCapacity INDEXES)
	// Indexes holds the units of each global and local secondary index, by
	// name (ReturnConsumedCapacity INDEXES); nil when none was reported.
	Indexes map[string]float64
}

// Consumed sums what DynamoDB reported in ConsumedCapacity, over one or more
// values (BatchGetItem and TransactWriteItems report one per table). Nil
// fields count as zero.
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

// Match reports whether what DynamoDB reported agrees with what was
// predicted. The totals must be equal. When DynamoDB broke the units down
// (ReturnConsumedCapacity INDEXES: reported.Table or reported.Indexes set),
// the table's units and each index's units must be equal too, an index
// absent on one side counting as 0. So a prediction with index writes does
// not match a report whose total left them out, and a table-only total is
// not mistaken for agreement on a table with indexes.
func Match(reported, predicted Usage) bool {
	if reported.Total != predicted.Total {
		return false
	}
	if reported.Table == 0 && reported.Indexes == nil {
		return true // TOTAL: no breakdown to compare
	}
	if reported.Table != predicted.Table {
		return false
	}
	for name, u := range reported.Indexes {
		if predicted.Indexes[name] != u {
			return false
		}
	}
	for name, u := range predicted.Indexes {
		if reported.Indexes[name] != u {
			return false
		}
	}
	return true
}
