package main

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/c2602f9e/goglove/trainer/cache"
	"github.com/spf13/cobra"
)

// cacheOptions are the flags the cache verbs share.
type cacheOptions struct {
	// Dir is the cache directory; "" takes it from the environment
	// (cache.DefaultDir).
	Dir string
}

const cacheDirFlagHelp = "cache directory (default $" + cache.EnvDir + ", else goglove/models in the user cache directory)"

// newCacheCmd builds the "goglove cache" verb group; its verbs live in
// cmd_cache_VERB.go.
func newCacheCmd() *cobra.Command {
	var opts cacheOptions
	cmd := &cobra.Command{
		Use:   "cache",
		Short: "List, remove and prune the trained models goglove caches",
		Long: `Goglove keeps every model it trains in a cache, so that a program trained
once is never trained again: the key of an entry is the SHA-256 of the
program's canonical form, its value the safetensors checkpoint of the
trained network with the program and its metrics. A corrupt entry is
removed when read and trained again.

The cache is the directory $` + cache.EnvDir + ` names (default goglove/models in
the user cache directory, ~/.cache/goglove/models on Linux), or the one
--dir names; ` + cache.EnvDir + `=off turns caching off, and then every cache
verb says so and exits with code 2. Its size is bounded by
$` + cache.EnvSize + ` ("2GiB", "500MB", plain bytes; 0 for no limit; default
4 GiB): storing an entry evicts the least recently used ones beyond it.
An entry is the file DIR/KEY[:2]/KEY.safetensors.

    goglove cache ls       list the entries, most recently used first
    goglove cache rm KEY   remove entries by key prefix, or all with --all
    goglove cache prune    evict least recently used entries down to a size
    goglove cache dir      print the cache directory

A wrong argument or flag is bad input (exit code 2).`,
		Example: `  goglove cache ls
  goglove cache ls --json
  goglove cache rm 3f2a9c01be
  goglove cache prune --max-size 1GiB
  GOGLOVE_CACHE=/tmp/models goglove cache dir`,
		Args:                       groupArgs,
		RunE:                       func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
		SuggestionsMinimumDistance: 2,
	}
	cmd.PersistentFlags().StringVar(&opts.Dir, "dir", "", cacheDirFlagHelp)
	cmd.AddCommand(newCacheLsCmd(&opts), newCacheRmCmd(&opts), newCachePruneCmd(&opts), newCacheDirCmd(&opts))
	return cmd
}

// errCacheOff is the error of every cache verb when caching is off.
var errCacheOff = badInput(errors.New("caching is off (" + cache.EnvDir + "=off); unset it or give --dir"))

// cacheDir returns the cache directory of the verbs: --dir, else the
// environment's.
func cacheDir(opts *cacheOptions) (string, error) {
	if opts.Dir != "" {
		return opts.Dir, nil
	}
	dir, err := cache.DefaultDir()
	if errors.Is(err, cache.ErrOff) {
		return "", errCacheOff
	}
	return dir, err
}

// openCache opens the cache of the verbs, with the size limit of the
// environment; a bad $GOGLOVE_CACHE_SIZE is bad input.
func openCache(opts *cacheOptions) (*cache.Cache, error) {
	dir, err := cacheDir(opts)
	if err != nil {
		return nil, err
	}
	maxBytes, err := cache.EnvMaxBytes()
	if err != nil {
		return nil, badInput(err)
	}
	return cache.Open(dir, maxBytes)
}

func newCacheDirCmd(opts *cacheOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "dir",
		Short: "Print the cache directory",
		Long: `Dir prints the cache directory: the one --dir names, else $` + cache.EnvDir + `,
else goglove/models in the user cache directory. It does not create it.
With ` + cache.EnvDir + `=off it says that caching is off (exit code 2).`,
		Example: `  goglove cache dir
  du -sh "$(goglove cache dir)"`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCacheDir(opts, args, cmd.OutOrStdout())
		},
	}
}

// runCacheDir prints the cache directory.
func runCacheDir(opts *cacheOptions, args []string, stdout io.Writer) error {
	if err := checkArgCount("cache dir", args, 0, "goglove cache dir [--dir DIR]"); err != nil {
		return err
	}
	dir, err := cacheDir(opts)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(stdout, dir)
	return err
}

// entryLine is the text of one entry for the cache verbs, in tab-separated
// columns: the first 12 hex digits of its key, its size, with used the
// time of its last use (UTC, RFC 3339), its program and its test
// accuracy.
func entryLine(e cache.Entry, used bool) string {
	s := e.Key[:12] + "\t" + cache.FormatSize(e.Size)
	if used {
		s += "\t" + e.Used.UTC().Format(time.RFC3339)
	}
	s += "\t" + programCell(e)
	if acc, ok := e.Metrics["test_accuracy"]; ok {
		s += "\ttest_accuracy " + formatMetric(acc, 4)
	}
	return s
}

// programCell is an entry's program for a text column.
func programCell(e cache.Entry) string {
	switch {
	case e.Err != nil:
		return "(unreadable header)"
	case e.Program == "":
		return "(no program)"
	}
	return cell(e.Program)
}

// limitText describes a size limit.
func limitText(maxBytes int64) string {
	if maxBytes == 0 {
		return "no limit"
	}
	return "limit " + cache.FormatSize(maxBytes)
}
