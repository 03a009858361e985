package weighting

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Step is one stage of a traffic shift: from At on, NewPercent percent of the
// traffic goes to the new version, until the next step. The zero value is
// "0% on the new version from the start". A plain value.
//
// Steps are in percent, unlike the shares of Shares and Weights (fractions in
// [0, 1]), because CodeDeploy specifies shifts in percent
// ("LambdaCanary10Percent5Minutes", canaryPercentage, linearPercentage); the
// field name carries the unit. AliasWeight converts to the fraction Lambda
// aliases take.
type Step struct {
	At         time.Duration // offset from the start of the shift
	NewPercent float64       // percent of traffic on the new version from At on, in [0, 100]
}

// MaxSteps is the most steps Linear builds: a percent of at least 0.1 per
// step. CodeDeploy's own linear configurations take whole percents (at most
// 100 steps).
const MaxSteps = 1000

// Canary returns the two steps of a canary shift: percent to the new version
// at once, then 100 after interval: [{0, percent}, {interval, 100}]. Errors:
// ErrInvalidPercent when percent is not in (0, 100) (use a single {0, 100}
// step for all at once), ErrInvalidInterval when interval is not positive.
func Canary(percent float64, interval time.Duration) ([]Step, error) {
	if !(percent > 0 && percent < 100) {
		return nil, fmt.Errorf("%w: canary percent %g, want (0, 100)", ErrInvalidPercent, percent)
	}
	if interval <= 0 {
		return nil, fmt.Errorf("%w: %v", ErrInvalidInterval, interval)
	}
	return []Step{{0, percent}, {interval, 100}}, nil
}

// Linear returns the steps of a linear shift: percent more every interval,
// {k*interval, min(100, percent*(k+1))} for k = 0, 1, ... until 100. Linear
// 10% every minute therefore ends with {9m, 100}. A percentage within 1e-9 of
// 100 counts as 100, so three steps of 100.0/3 end there. Errors:
// ErrInvalidPercent when percent is not in (0, 100]; ErrTooManySteps when the
// shift needs more than MaxSteps steps (percent under 0.1); ErrInvalidInterval
// when interval is not positive or the last step's At would overflow a
// time.Duration.
func Linear(percent float64, interval time.Duration) ([]Step, error) {
	if !(percent > 0 && percent <= 100) {
		return nil, fmt.Errorf("%w: linear percent %g, want (0, 100]", ErrInvalidPercent, percent)
	}
	if interval <= 0 {
		return nil, fmt.Errorf("%w: %v", ErrInvalidInterval, interval)
	}
	n := 1 // steps: the first k+1 with percent*(k+1) >= 100
	for percent*float64(n) < 100-1e-9 {
		if n == MaxSteps {
			return nil, fmt.Errorf("%w: %g%% per step needs more than %d", ErrTooManySteps, percent, MaxSteps)
		}
		n++
	}
	if last := int64(n - 1); last > 0 && int64(interval) > math.MaxInt64/last {
		return nil, fmt.Errorf("%w: %d steps of %v overflow a time.Duration", ErrInvalidInterval, n, interval)
	}
	steps := make([]Step, n)
	for k := range n - 1 {
		steps[k] = Step{time.Duration(k) * interval, percent * float64(k+1)}
	}
	steps[n-1] = Step{time.Duration(n-1) * interval, 100}
	return steps, nil
}

// Predefined returns the steps of a CodeDeploy predefined deployment
// configuration for Lambda or ECS, named with or without the
// "CodeDeployDefault." prefix: LambdaCanary10Percent5Minutes (also 10, 15 and
// 30 minutes), LambdaLinear10PercentEvery1Minute (also Every2Minutes,
// Every3Minutes, Every10Minutes), LambdaAllAtOnce, ECSCanary10Percent5Minutes,
// ECSCanary10Percent15Minutes, ECSLinear10PercentEvery1Minutes (spelled so by
// AWS), ECSLinear10PercentEvery3Minutes and ECSAllAtOnce. Other names give
// ErrUnknownSchedule.
func Predefined(name string) ([]Step, error) {
	switch strings.TrimPrefix(name, "CodeDeployDefault.") {
	case "LambdaCanary10Percent5Minutes", "ECSCanary10Percent5Minutes":
		return Canary(10, 5*time.Minute)
	case "LambdaCanary10Percent10Minutes":
		return Canary(10, 10*time.Minute)
	case "LambdaCanary10Percent15Minutes", "ECSCanary10Percent15Minutes":
		return Canary(10, 15*time.Minute)
	case "LambdaCanary10Percent30Minutes":
		return Canary(10, 30*time.Minute)
	case "LambdaLinear10PercentEvery1Minute", "ECSLinear10PercentEvery1Minutes":
		return Linear(10, time.Minute)
	case "LambdaLinear10PercentEvery2Minutes":
		return Linear(10, 2*time.Minute)
	case "LambdaLinear10PercentEvery3Minutes", "ECSLinear10PercentEvery3Minutes":
		return Linear(10, 3*time.Minute)
	case "LambdaLinear10PercentEvery10Minutes":
		return Linear(10, 10*time.Minute)
	case "LambdaAllAtOnce", "ECSAllAtOnce":
		return []Step{{0, 100}}, nil
	}
	return nil, fmt.Errorf("%w: %q", ErrUnknownSchedule, name)
}

// Route53Weights returns the integer weights (old, new) of two weighted
// records that split traffic as the step does, by Weights: the closest split
// with the smallest total (10% gives 9 and 1; 100% gives 0 and 1).
// NewPercent outside [0, 100] gives ErrInvalidPercent.
func (s Step) Route53Weights() (oldWeight, newWeight int, err error) {
	if !(s.NewPercent >= 0 && s.NewPercent <= 100) {
		return 0, 0, fmt.Errorf("%w: %g", ErrInvalidPercent, s.NewPercent)
	}
	f := s.NewPercent / 100
	w, err := Weights([]float64{1 - f, f})
	if err != nil {
		return 0, 0, err
	}
	return w[0], w[1], nil
}

// AliasWeight returns the weight of the new version in a Lambda alias's
// RoutingConfig.AdditionalVersionWeights: NewPercent/100, a fraction in
// [0, 1]. At 100 percent, point the alias at the new version and drop the
// routing configuration instead. NewPercent outside [0, 100] gives
// ErrInvalidPercent.
func (s Step) AliasWeight() (float64, error) {
	if !(s.NewPercent >= 0 && s.NewPercent <= 100) {
		return 0, fmt.Errorf("%w: %g", ErrInvalidPercent, s.NewPercent)
	}
	return s.NewPercent / 100, nil
}
