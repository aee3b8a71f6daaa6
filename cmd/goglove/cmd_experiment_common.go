package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/c2602f9e/goglove/trainer"
	"github.com/c2602f9e/goglove/trainer/cache"
	"github.com/c2602f9e/goglove/trainer/data"
)

// What the experiment verbs (cmd_experiment_NAME.go) share: their Env,
// their --out directory and the meaning of a failed run.

// experimentEnv returns the trainer's Env of an experiment verb: the
// default trained-model cache (none when GOGLOVE_CACHE=off), and notices
// on stderr, one line each.
func experimentEnv(verb string, stderr io.Writer) (*trainer.Env, error) {
	env := &trainer.Env{Notice: func(msg string) { fmt.Fprintln(stderr, errorPrefix+oneLine(msg)) }}
	c, err := cache.Default()
	if err != nil {
		return nil, usageErrorf("%s: %v", verb, err)
	}
	env.Cache = c // nil when GOGLOVE_CACHE=off
	return env, nil
}

// makeOutDir makes the directory dir of verb's --out (and its parents);
// a failure is bad input naming the flag.
func makeOutDir(verb, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return badInput(fmt.Errorf("%s: --out: %w", verb, err))
	}
	return nil
}

// experimentRunErr returns the error of verb's run that failed with err:
// an interruption says so with what the user should know of it
// (interrupted, e.g. "interrupted; the lines printed are those
// finished"), a bad program or data option is bad input, anything else
// is err itself.
func experimentRunErr(ctx context.Context, verb, interrupted string, err error) error {
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return fmt.Errorf("%s: %s", verb, interrupted)
	case errors.Is(err, trainer.ErrProgram) || errors.Is(err, data.ErrOptions):
		return badInput(err)
	}
	return err
}
