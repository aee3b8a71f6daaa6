package main

import (
	"fmt"
	"io"

	"github.com/c2602f9e/goglove/trainer/cache"
	"github.com/spf13/cobra"
)

const cachePruneUsage = "goglove cache prune [--dir DIR] [--max-size SIZE]"

func newCachePruneCmd(opts *cacheOptions) *cobra.Command {
	var maxSize string
	cmd := &cobra.Command{
		Use:   "prune [--max-size SIZE]",
		Short: "Evict the least recently used cached models down to a size",
		Long: `Prune removes the least recently used entries of the cache until the
entries' total size is at most SIZE: --max-size, else the configured
limit, $` + cache.EnvSize + ` (default 4 GiB). SIZE is a number of bytes or a
number and a unit: B, kB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB,
TiB (powers of 1024), such as 500MB or 2GiB; --max-size 0 removes every
entry. With no limit configured ($` + cache.EnvSize + `=0) and no --max-size,
no entry is removed. Prune also removes temporary and lock files older
than an hour, which writers that crashed left behind.

It prints one line per entry removed, then the number of entries left,
their total size and the limit. Storing an entry prunes the cache to the
configured limit already; prune is for a smaller size or a limit just
lowered. A SIZE that does not parse is bad input (exit code 2).`,
		Example: `  goglove cache prune
  goglove cache prune --max-size 1GiB
  GOGLOVE_CACHE_SIZE=500MB goglove cache prune`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCachePrune(opts, maxSize, cmd.Flags().Changed("max-size"), args, cmd.OutOrStdout())
		},
	}
	cmd.Flags().StringVar(&maxSize, "max-size", "", "evict down to this total size, such as 1GiB or 500MB (default $"+cache.EnvSize+", else 4GiB)")
	return cmd
}

// runCachePrune prunes the cache.
func runCachePrune(opts *cacheOptions, maxSize string, given bool, args []string, stdout io.Writer) error {
	if err := checkArgCount("cache prune", args, 0, cachePruneUsage); err != nil {
		return err
	}
	var limit int64
	if given {
		n, err := cache.ParseSize(maxSize)
		if err != nil {
			return usageErrorf("cache prune: --max-size %q: %w", maxSize, err)
		}
		limit = n
	}
	c, err := openCache(opts)
	if err != nil {
		return err
	}
	if !given {
		limit = c.MaxBytes
		if limit == 0 {
			limit = -1 // no limit: remove only the stale files
		}
	}
	removed, err := c.Prune(limit)
	printRemoved(stdout, removed)
	if err != nil {
		return err
	}
	entries, err := c.List()
	if err != nil {
		return err
	}
	limitNote := "no limit"
	if limit >= 0 {
		limitNote = "limit " + cache.FormatSize(limit)
	}
	_, err = fmt.Fprintf(stdout, "removed %s, %s; %s left, %s (%s)\n",
		countText(len(removed), "entry", "entries"), cache.FormatSize(totalSize(removed)),
		countText(len(entries), "entry", "entries"), cache.FormatSize(totalSize(entries)), limitNote)
	return err
}
