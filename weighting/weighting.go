package weighting

import (
	"errors"
	"fmt"
)

// Route 53 limits on weighted records (Developer Guide, "Values specific for
// weighted records"; API reference, ResourceRecordSet.Weight).
const (
	MaxWeight  = 255 // weights are integers 0..255
	MaxRecords = 100 // weighted records per name and type
)

// Errors of this package; every error it returns matches one of them with
// errors.Is.
var (
	ErrInvalidWeight   = errors.New("weighting: weight outside 0..255")
	ErrNoRecords       = errors.New("weighting: no records")
	ErrTooManyRecords  = errors.New("weighting: more than 100 weighted records")
	ErrLengthMismatch  = errors.New("weighting: weights and health flags differ in length")
	ErrInvalidTarget   = errors.New("weighting: invalid target shares")
	ErrUnknownSchedule = errors.New("weighting: unknown deployment configuration")
	ErrInvalidPercent  = errors.New("weighting: percent outside 0..100")
	ErrInvalidInterval = errors.New("weighting: invalid step interval")
	ErrTooManySteps    = errors.New("weighting: too many steps")
)

func checkWeights(weights []int) error {
	switch {
	case len(weights) == 0:
		return ErrNoRecords
	case len(weights) > MaxRecords:
		return fmt.Errorf("%w: %d records", ErrTooManyRecords, len(weights))
	}
	for i, w := range weights {
		if w < 0 || w > MaxWeight {
			return fmt.Errorf("%w: record %d has weight %d", ErrInvalidWeight, i, w)
		}
	}
	return nil
}

// Shares returns the fraction of DNS queries Route 53 answers with each
// record: weight / sum of weights. If every weight is 0, every record gets an
// equal share. The shares sum to 1 (within float64 rounding). Errors:
// ErrNoRecords, ErrTooManyRecords (over 100), ErrInvalidWeight (outside 0..255).
func Shares(weights []int) ([]float64, error) {
	if err := checkWeights(weights); err != nil {
		return nil, err
	}
	all := make([]bool, len(weights))
	for i := range all {
		all[i] = true
	}
	return shares(weights, all), nil
}

// HealthyShares returns each record's share of queries when some records fail
// their health checks, by Route 53's rules ("How Amazon Route 53 chooses
// records when health checking is configured"):
//
//  1. A record without a health check counts as healthy (pass true for it).
//  2. Route 53 considers the healthy records; if none is healthy, it considers
//     all records, as if all were healthy.
//  3. Among the records considered, those with weight > 0 share by weight; only
//     if none of them has weight > 0 do the considered zero-weight records
//     share equally.
//
// Records not considered get 0. healthy must have one flag per weight
// (ErrLengthMismatch); weights are checked as by Shares.
func HealthyShares(weights []int, healthy []bool) ([]float64, error) {
	if err := checkWeights(weights); err != nil {
		return nil, err
	}
	if len(healthy) != len(weights) {
		return nil, fmt.Errorf("%w: %d weights, %d flags", ErrLengthMismatch, len(weights), len(healthy))
	}
	considered := healthy
	anyHealthy := false
	for _, h := range healthy {
		anyHealthy = anyHealthy || h
	}
	if !anyHealthy {
		considered = make([]bool, len(weights))
		for i := range considered {
			considered[i] = true
		}
	}
	return shares(weights, considered), nil
}

// shares splits traffic among the considered records: by weight among those
// with weight > 0, or equally among all considered when none has weight > 0.
func shares(weights []int, considered []bool) []float64 {
	out := make([]float64, len(weights))
	sum, count := 0, 0
	for i, w := range weights {
		if considered[i] {
			sum += w
			count++
		}
	}
	for i, w := range weights {
		switch {
		case !considered[i]:
		case sum > 0:
			out[i] = float64(w) / float64(sum)
		default:
			out[i] = 1 / float64(count)
		}
	}
	return out
}
