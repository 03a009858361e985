// Package capacity computes DynamoDB item sizes and the capacity units
// DynamoDB charges for them, exactly as DynamoDB counts them.
//
// # Item sizes
//
// [ItemSize] and [AttributeSize] take items as the SDK's
// map[string]types.AttributeValue and apply the rules of the Developer Guide:
// names and strings by UTF-8 bytes, binary by raw bytes (not base64), BOOL and
// NULL 1 byte, sets the sum of their elements, lists and maps 3 bytes plus 1
// byte per element (and the key bytes for maps). Numbers ([NumberSize]) are
// stored in pairs of digits, which the guide describes only approximately;
// NumberSize documents the exact rule. KB means 1024 bytes; the item limit is
// 400 KB = 409,600 bytes ([MaxItemBytes]). [Validate] adds the check ItemSize
// leaves out: no duplicate elements in a set.
//
// # Capacity units
//
// A read unit covers 4 KB: strongly consistent reads cost 1 unit per 4 KB,
// eventually consistent half, transactional twice. A write unit covers 1 KB;
// transactional writes cost twice. Sizes are rounded up to the unit, and every
// operation costs at least the minimum (a read of a missing item too). The
// per-operation functions follow how DynamoDB reports ConsumedCapacity:
//
//   - [ReadUnits] and [WriteUnits] for one item (GetItem, DeleteItem);
//     [PutItem] for a PutItem or UpdateItem: the larger of the old and new
//     item;
//   - [BatchGetItem], [BatchWriteItem], [TransactGetItems],
//     [TransactWriteItems]: each item rounded separately;
//   - [Query] (and Scan): the sizes of all items read, filtered-out ones
//     included, added and rounded once per page; [Pages] shows each request.
//     Pages end where DynamoDB ends them, at 1 MB of the larger stored size
//     [PageSize], not of ItemSize;
//   - [Table.Write]: a write's units in the table and in each secondary
//     index, given the table's key schema and projections ([TableFrom]).
//
// [Consumed] reads what DynamoDB reported, and [Match] compares it with a
// prediction, index by index.
//
// [PlanTable] turns a workload into provisioned RCU/WCU for the table and each
// global secondary index, a partition estimate, and on-demand request units
// per month, with prices as inputs.
//
// # Inputs and options
//
// Everything here is a pure calculation: functions take their inputs by
// value, as plain arguments or an input struct ([Workload], [Table]); no
// function does I/O, so none takes a context or options. All functions are
// safe for concurrent use.
//
// # Errors
//
// Every error matches one of [ErrItemTooLarge], [ErrInvalidNumber],
// [ErrUnknownType], [ErrInvalidValue] or [ErrInvalidInput] with errors.Is; the
// message names the attribute path (attribute names, and the keys of nested
// maps, which are part of the path) and the figures, never attribute values.
// When an item has several problems, the error reported does not depend on
// map iteration order (see ItemSize).
//
// # References
//
//   - Item sizes and formats:
//     https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
//   - Read/write capacity mode:
//     https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/capacity-mode.html
//   - Constraints (item size, numbers, nesting):
//     https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Constraints.html
//   - Global secondary index writes:
//     https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html
//   - Query and Scan pages:
//     https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.Pagination.html
package capacity
