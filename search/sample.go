package search

import (
	"context"
	"iter"

	"github.com/c2602f9e/goglove/algorithms"
)

// Sample returns an iterator over the trials of a search: the algorithm
// proposes, the space decodes, and the loop body evaluates each trial and
// gives it feedback (Finish, Fail or Skip):
//
//	for t, err := range search.Sample(ctx, s, algo, opts) {
//		if err != nil {
//			return err
//		}
//		acc := train(t.Program)
//		t.Finish(ctx, search.Metrics{"accuracy": acc})
//	}
//
// A trial the body leaves without feedback is recorded as failed (it is
// never handed out again). The iteration ends when the budget is spent,
// the algorithm is done or ctx is cancelled; an error (a store that
// fails, too many failed trials) is yielded once, last.
func Sample[T any](ctx context.Context, s Searchable[T], algo algorithms.Algorithm, opts *Options) iter.Seq2[*Trial[T], error] {
	return func(yield func(*Trial[T], error) bool) {
		r, err := newRunner(ctx, s, algo, opts)
		if err != nil {
			yield(nil, err)
			return
		}
		defer r.close()
		for {
			t, err := r.next(ctx)
			if err != nil {
				yield(nil, err)
				return
			}
			if t == nil {
				return
			}
			more := yield(t, nil)
			if !t.Done() {
				if ctx.Err() != nil {
					t.release() // interrupted: left to be taken over, not failed
				} else {
					_ = t.finish(ctx, Failed, nil, "the loop body returned without Finish, Fail or Skip")
				}
			}
			if !more {
				return
			}
		}
	}
}
