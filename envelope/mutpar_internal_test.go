package envelope

import (
	"fmt"
	"testing"
)

// A group is at most a quarter of a goroutine's share of the frames,
// rounded up to one frame: ceil(full / (4·workers)), and no more than
// about 64 KiB of frames (1,985 frames of 1 byte).
func TestGroupFramesQuarterShare(t *testing.T) {
	for workers := 1; workers <= 9; workers++ {
		for full := 1; full <= 20_000; full += 1 + full/50 {
			quarter := (full + 4*workers - 1) / (4 * workers) // ceil
			want := max(1, min(1985, quarter))
			if got := groupFrames(1, full, workers); got != want {
				t.Fatalf("groupFrames(1, %d, %d) = %d, want %d", full, workers, got, want)
			}
		}
	}
	for _, tc := range []struct{ fl, full, workers, want int }{
		{4096, 8, 2, 1}, // a quarter of 4 frames
		{4096, 9, 2, 2},
		{4096, 16, 2, 2},
		{4096, 17, 2, 3},
		{4096, 1 << 20, 3, 15}, // 65,536 / 4,128
	} {
		t.Run(fmt.Sprint(tc), func(t *testing.T) {
			if got := groupFrames(tc.fl, tc.full, tc.workers); got != tc.want {
				t.Errorf("groupFrames(%d, %d, %d) = %d, want %d", tc.fl, tc.full, tc.workers, got, tc.want)
			}
		})
	}
}
