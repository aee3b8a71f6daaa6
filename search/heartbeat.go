package search

import (
	"context"
	"errors"
	"time"
)

// startHeartbeats starts the goroutine that records, every heartbeat
// interval, that this runner's trials still run. A trial whose attempt
// was taken over (its heartbeat was late, so another worker reclaimed
// it) is marked superseded: ShouldStop tells its objective to stop, and
// its result will be rejected. close stops the goroutine and waits.
func (r *runner[T]) startHeartbeats(ctx context.Context) {
	ctx, r.stopBeats = context.WithCancel(context.WithoutCancel(ctx))
	r.beats.Go(func() {
		tick := time.NewTicker(r.opts.HeartbeatInterval)
		defer tick.Stop()
		failing := false
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			r.mu.Lock()
			trials := make([]*Trial[T], 0, len(r.active))
			for _, t := range r.active {
				trials = append(trials, t)
			}
			r.mu.Unlock()
			for _, t := range trials {
				err := r.opts.Store.Heartbeat(ctx, r.opts.Study, t.Number, t.rec.Attempt)
				switch {
				case err == nil:
					if failing {
						r.logf("store: heartbeats recorded again")
						failing = false
					}
				case errors.Is(err, ErrSuperseded):
					if !t.Done() {
						t.supersede()
						r.logf("trial %d: another worker took it over (its heartbeat was late); stopping it", t.Number)
					}
				case ctx.Err() != nil:
					return
				default:
					if !failing {
						r.logf("store: heartbeat failed, will retry: %v", err)
						failing = true
					}
				}
			}
		}
	})
}
