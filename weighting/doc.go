// Package weighting computes Route 53 weighted routing exactly: the share of
// queries each weighted record receives ([Shares]), the shares when health
// checks fail ([HealthyShares]), the integer weights that best realise a
// target split ([Weights]), an O(1) simulator of which record answers a query
// ([Picker]), and traffic-shift schedules as CodeDeploy runs them ([Canary],
// [Linear], [Predefined]) with their Route 53 weights and Lambda alias
// weights.
//
// # The model
//
// Each record of a weighted set (same name and type) has an integer weight in
// 0..255; a set has at most 100 records. A record answers weight/sum of the
// queries; when every weight is 0, all records answer equally often. With
// health checks, Route 53 considers the healthy records (all of them, if none
// is healthy) and, among those, the nonzero-weight records by weight, or the
// zero-weight ones equally when no nonzero-weight record is considered.
//
// # Units
//
// Shares and target splits are fractions in [0, 1]. Traffic-shift steps are
// in percent ([Step.NewPercent]), as CodeDeploy names and configures them
// ("LambdaCanary10Percent5Minutes"); [Step.AliasWeight] gives the fraction a
// Lambda alias takes.
//
// # Shape of the API
//
// Every function is a pure calculation: it takes its inputs by value (plain
// arguments), returns values and typed errors (every error matches one of
// the Err* sentinels with errors.Is), and is safe for concurrent use. There
// are no options. Randomness is an input: [Picker.Pick] takes a *rand.Rand
// from math/rand/v2, which is not safe for concurrent use (one per
// goroutine); nil means math/rand/v2's top-level functions, which are.
//
// # References
//
//   - Weighted routing:
//     https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-weighted.html
//   - How Route 53 chooses records when health checking is configured:
//     https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html
//   - CodeDeploy deployment configurations:
//     https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html
package weighting
