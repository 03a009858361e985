package envelope

// SetParallelStreamAfter makes streams go parallel after n bytes of
// plaintext (0: from the first frame) and returns the function that
// restores the default. For tests only; not safe while a stream is being
// made on another goroutine.
func SetParallelStreamAfter(n int64) (restore func()) {
	old := parallelStreamAfter
	parallelStreamAfter = n
	return func() { parallelStreamAfter = old }
}
