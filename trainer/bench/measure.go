package bench

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"time"
)

// Options control a measurement. The zero value measures for 2 seconds in
// 3 runs.
type Options struct {
	// Duration is the time spent measuring one figure, split evenly
	// between its Runs; if 0, a default of 2 seconds is used. A warm-up
	// of a tenth of it (at most 0.5 s) comes first.
	Duration time.Duration
	// Runs is the number of timed runs of a figure, whose median is
	// reported; if 0, a default of 3 is used.
	Runs int
	// Progress, if not nil, is called with a one-line message after each
	// figure is measured; it is called on the goroutine that called the
	// measuring function.
	Progress func(msg string)
}

func (o Options) withDefaults() Options {
	if o.Duration == 0 {
		o.Duration = 2 * time.Second
	}
	if o.Runs == 0 {
		o.Runs = 3
	}
	return o
}

func (o Options) check() error {
	if o.Duration < 0 || o.Runs < 0 {
		return fmt.Errorf("%w: duration %v and runs %d, want them 0 (the default) or more", ErrOptions, o.Duration, o.Runs)
	}
	return nil
}

// warmup returns the warm-up time of o.
func (o Options) warmup() time.Duration {
	return min(o.Duration/10, 500*time.Millisecond)
}

func (o Options) progress(format string, args ...any) {
	if o.Progress != nil {
		o.Progress(fmt.Sprintf(format, args...))
	}
}

// work is a unit of work that can be repeated: a training step, a GEMM
// call. It returns the number of items (samples, flops) one call does.
type work interface {
	do() float64
}

// rate runs w for d (at least once) and returns the items per second over
// wall time and over the thread's CPU time (0 where that clock is not
// available). It locks the goroutine to its thread for the CPU clock. It
// checks ctx between calls.
func rate(ctx context.Context, w work, d time.Duration) (wall, cpu float64, err error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	items := 0.0
	cpu0 := threadCPU()
	start := time.Now()
	deadline := start.Add(d)
	for {
		items += w.do()
		now := time.Now()
		if !now.Before(deadline) {
			elapsed := now.Sub(start).Seconds()
			if c := threadCPU() - cpu0; cpu0 > 0 && c > 0 {
				cpu = items / c
			}
			return items / elapsed, cpu, nil
		}
		if err := ctx.Err(); err != nil {
			return 0, 0, err
		}
	}
}

// rateParallel runs each of ws on a goroutine of its own, started
// together, for d, and returns the sum of their items per second over
// wall time. It waits for every goroutine; a panic in one is returned as
// an error.
func rateParallel(ctx context.Context, ws []work, d time.Duration) (float64, error) {
	rates := make([]float64, len(ws))
	errs := make([]error, len(ws))
	var ready, wg sync.WaitGroup
	start := make(chan struct{})
	ready.Add(len(ws))
	for i, w := range ws {
		wg.Go(func() {
			defer func() {
				if r := recover(); r != nil {
					errs[i] = fmt.Errorf("bench: panic while measuring: %v", r)
				}
			}()
			ready.Done()
			<-start
			rates[i], _, errs[i] = rate(ctx, w, d)
		})
	}
	ready.Wait()
	close(start)
	wg.Wait()
	sum := 0.0
	for i, r := range rates {
		if errs[i] != nil {
			return 0, errs[i]
		}
		sum += r
	}
	return sum, nil
}
