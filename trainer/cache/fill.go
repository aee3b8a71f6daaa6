package cache

import (
	"context"
	"errors"

	"github.com/c2602f9e/goglove/trainer/checkpoint"
)

// FillResult is what Fill returns.
type FillResult struct {
	// Checkpoint is the entry: read from the cache, or computed.
	Checkpoint *checkpoint.Checkpoint
	// Hit reports that the entry was read from the cache (possibly after
	// waiting for another goroutine or process to compute it) rather than
	// computed by this call.
	Hit bool
	// Corrupt, when not nil, is the error (wrapping ErrCorrupt) of an
	// entry this call found corrupt and removed; the entry was then
	// computed anew (by this call, or by another filler it waited for).
	Corrupt error
	// StoreErr, when not nil, tells why the computed entry could not be
	// stored (or why evicting others after storing it failed). Checkpoint
	// is good all the same: the cache only saves work, so failing to
	// store is not an error of Fill.
	StoreErr error
}

// Fill returns the entry for key, calling compute to create it on a miss
// and storing what it returns (Put). Fillers of one key exclude each
// other, in this process and in others sharing the directory (an
// exclusive lock per key; see the package documentation): while one
// computes the entry, the others wait, then read it, so the entry is
// computed once. ctx cancels the wait (the error is ctx's); it is not
// passed to compute, which should watch a context of its own.
//
// An error of compute is returned as it is, and nothing is stored: the
// next filler computes the entry again. Other errors are those of Get
// (other than ErrMiss and ErrCorrupt) and of taking the lock.
func (c *Cache) Fill(ctx context.Context, key string, compute func() (*checkpoint.Checkpoint, error)) (FillResult, error) {
	var res FillResult
	if err := checkKey(key); err != nil {
		return res, err
	}
	if ok, err := c.fillFromCache(key, &res); ok || err != nil {
		return res, err
	}
	l, err := c.lock(ctx, key)
	if err != nil {
		return res, err
	}
	defer l.unlock()
	// Another filler may have stored the entry while this one waited.
	if ok, err := c.fillFromCache(key, &res); ok || err != nil {
		return res, err
	}
	ckpt, err := compute()
	if err != nil {
		return res, err
	}
	if ckpt == nil {
		return res, errors.New("cache: Fill: compute returned a nil checkpoint and no error")
	}
	res.Checkpoint = ckpt
	res.StoreErr = c.Put(key, ckpt)
	return res, nil
}

// fillFromCache reads the entry for key into res and reports whether it
// found it; a corrupt entry is recorded in res.Corrupt.
func (c *Cache) fillFromCache(key string, res *FillResult) (bool, error) {
	ckpt, err := c.Get(key)
	switch {
	case err == nil:
		res.Checkpoint, res.Hit = ckpt, true
		return true, nil
	case errors.Is(err, ErrCorrupt):
		res.Corrupt = err
		return false, nil
	case errors.Is(err, ErrMiss):
		return false, nil
	}
	return false, err
}
