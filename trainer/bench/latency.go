package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"time"

	"github.com/c2602f9e/goglove/internal/stats"
	"github.com/c2602f9e/goglove/trainer/nn"
	"github.com/c2602f9e/goglove/trainer/tensor"
)

// Latency is the wall time of one forward pass of a batch, split over
// threads.
type Latency struct {
	// Batch is the batch's examples; Threads the threads that shared it.
	Batch, Threads int
	// PerBatch is the median wall time of a forward pass of the whole
	// batch, from its start on every thread to its end on the last.
	PerBatch time.Duration
	// Mean is the mean wall time of a pass: PerBatch and the time the
	// passes lost to other work of the machine (preemption, contended
	// cores).
	Mean time.Duration
}

// MicrosPerExample returns PerBatch per example, in microseconds.
func (l Latency) MicrosPerExample() float64 {
	return float64(l.PerBatch) / 1e3 / float64(l.Batch)
}

// MeasureLatency measures the latency of a forward pass (in evaluation
// mode) of a batch of batch random examples of features inputs, split
// over len(nets) threads: thread i runs nets[i] on its share of the rows
// (⌈batch/threads⌉ rows each, the last one fewer; a thread with no rows
// is not used), each on a goroutine locked to its OS thread, all started
// together for each pass. Give each thread a network of its own (layers
// keep their outputs, so one network cannot run on two threads at once);
// they should be alike. The figure is the median over o.Runs runs of the
// median pass time in each, after a warm-up: a pass that another job of
// the machine preempts is slower, and the median leaves those out as
// long as most passes run undisturbed, where a mean would not (Mean
// gives it, the median over the runs of their mean pass time).
func MeasureLatency(ctx context.Context, nets []*nn.Sequential, features, batch int, o Options) (Latency, error) {
	o = o.withDefaults()
	if err := o.check(); err != nil {
		return Latency{}, err
	}
	if len(nets) == 0 || features < 1 || batch < 1 {
		return Latency{}, fmt.Errorf("%w: latency of %d networks, %d features, batch %d: want at least one of each", ErrOptions, len(nets), features, batch)
	}
	threads := min(len(nets), batch)
	per := (batch + threads - 1) / threads
	rng := rand.New(rand.NewPCG(3, uint64(batch)))
	var parts []*inferNet
	for i, left := 0, batch; left > 0; i++ {
		rows := min(per, left)
		left -= rows
		x := tensor.New(rows, features)
		for j := range x.Data {
			x.Data[j] = float32(rng.NormFloat64())
		}
		parts = append(parts, &inferNet{net: nets[i], x: x, batch: float64(rows)})
	}
	p := newPasses(parts)
	defer p.stop()
	if _, _, err := p.time(ctx, o.warmup()); err != nil {
		return Latency{}, err
	}
	d := o.Duration / time.Duration(o.Runs)
	var medians, means []float64
	for range o.Runs {
		med, mean, err := p.time(ctx, d)
		if err != nil {
			return Latency{}, err
		}
		medians, means = append(medians, med), append(means, mean)
	}
	return Latency{Batch: batch, Threads: len(parts), PerBatch: time.Duration(stats.Median(medians)),
		Mean: time.Duration(stats.Median(means))}, nil
}

// passes runs forward passes of its parts together: the first on the
// calling goroutine, each other on a goroutine of its own locked to its
// thread, which waits for the signal of each pass.
type passes struct {
	parts []*inferNet
	start []chan struct{}
	done  sync.WaitGroup // the others' part of one pass
	quit  sync.WaitGroup // the others' goroutines
	times []float64      // the wall times of the passes of one run
}

func newPasses(parts []*inferNet) *passes {
	p := &passes{parts: parts}
	for _, part := range parts[1:] {
		ch := make(chan struct{})
		p.start = append(p.start, ch)
		p.quit.Go(func() {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			for range ch {
				part.do()
				p.done.Done()
			}
		})
	}
	return p
}

// pass runs one forward pass of every part.
func (p *passes) pass() {
	p.done.Add(len(p.start))
	for _, ch := range p.start {
		ch <- struct{}{}
	}
	p.parts[0].do()
	p.done.Wait()
}

// time runs passes for d (at least one) and returns the median and the
// mean of their wall times in nanoseconds. It checks ctx between passes.
func (p *passes) time(ctx context.Context, d time.Duration) (median, mean float64, err error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	p.times = p.times[:0]
	start := time.Now()
	last := start
	for {
		p.pass()
		now := time.Now()
		p.times = append(p.times, float64(now.Sub(last)))
		last = now
		if el := now.Sub(start); el >= d {
			return stats.Median(p.times), float64(el) / float64(len(p.times)), nil
		}
		if err := ctx.Err(); err != nil {
			return 0, 0, err
		}
	}
}

// stop ends the goroutines of the other parts and waits for them.
func (p *passes) stop() {
	for _, ch := range p.start {
		close(ch)
	}
	p.quit.Wait()
}
