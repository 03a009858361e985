package weighting

import (
	"fmt"
	"strings"
	"time"
)

// Step is one stage of a traffic shift: from At on, NewPercent percent of the
// traffic goes to the new version, until the next step. The zero value is
// "0% on the new version from the start". A plain value.
type Step struct {
	At         time.Duration // offset from the start of the shift
	NewPercent float64       // percent of traffic on the new version from At on, in [0, 100]
}

// Canary returns the two steps of a canary shift: percent to the new version
// at once, then 100 after interval: [{0, percent}, {interval, 100}]. It
// returns nil when percent is not in (0, 100) or interval is not positive;
// use a single {0, 100} step for all at once.
func Canary(percent float64, interval time.Duration) []Step {
	if !(percent > 0 && percent < 100) || interval <= 0 {
		return nil
	}
	return []Step{{0, percent}, {interval, 100}}
}

// Linear returns the steps of a linear shift: percent more every interval,
// {k*interval, min(100, percent*(k+1))} for k = 0, 1, ... until 100. Linear
// 10% every minute therefore ends with {9m, 100}. It returns nil when percent
// is not in (0, 100] or interval is not positive.
func Linear(percent float64, interval time.Duration) []Step {
	if !(percent > 0 && percent <= 100) || interval <= 0 {
		return nil
	}
	var steps []Step
	for k := 0; ; k++ {
		p := percent * float64(k+1)
		// A percentage within 1e-9 of 100 is 100: 3 steps of 33.333...% end there.
		if p >= 100-1e-9 {
			return append(steps, Step{time.Duration(k) * interval, 100})
		}
		steps = append(steps, Step{time.Duration(k) * interval, p})
	}
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
		return Canary(10, 5*time.Minute), nil
	case "LambdaCanary10Percent10Minutes":
		return Canary(10, 10*time.Minute), nil
	case "LambdaCanary10Percent15Minutes", "ECSCanary10Percent15Minutes":
		return Canary(10, 15*time.Minute), nil
	case "LambdaCanary10Percent30Minutes":
		return Canary(10, 30*time.Minute), nil
	case "LambdaLinear10PercentEvery1Minute", "ECSLinear10PercentEvery1Minutes":
		return Linear(10, time.Minute), nil
	case "LambdaLinear10PercentEvery2Minutes":
		return Linear(10, 2*time.Minute), nil
	case "LambdaLinear10PercentEvery3Minutes", "ECSLinear10PercentEvery3Minutes":
		return Linear(10, 3*time.Minute), nil
	case "LambdaLinear10PercentEvery10Minutes":
		return Linear(10, 10*time.Minute), nil
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
