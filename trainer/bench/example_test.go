package bench_test

import (
	"context"
	"fmt"
	"time"

	"github.com/c2602f9e/goglove/trainer/bench"
)

// Example measures the training throughput of the tiny MLP for a moment.
func Example() {
	r, err := bench.Train(context.Background(), bench.Tiny, bench.Options{Duration: 50 * time.Millisecond})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(bench.Tiny, r.Best() > 0)
	// Output: 64-32-10 batch 32 true
}
