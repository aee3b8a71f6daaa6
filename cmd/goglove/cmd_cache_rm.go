package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/c2602f9e/goglove/trainer/cache"
	"github.com/spf13/cobra"
)

const cacheRmUsage = "goglove cache rm [--dir DIR] KEY... | --all"

// minKeyPrefix is the shortest key prefix cache rm accepts.
const minKeyPrefix = 6

func newCacheRmCmd(opts *cacheOptions) *cobra.Command {
	var all bool
	cmd := &cobra.Command{
		Use:   "rm KEY... | rm --all",
		Short: "Remove cached models by key, or all of them",
		Long: `Rm removes the cache entries the KEYs name: each KEY is a whole key or a
prefix of at least 6 hex digits that starts the key of exactly one entry
(the first 12 digits "goglove cache ls" shows serve). All KEYs are
checked before any entry is removed: a KEY that is too short, matches no
entry or matches several is bad input (exit code 2), named in the error.
--all removes every entry, with the temporary files that writers which
crashed left behind. Rm prints one line per entry removed.

An entry removed is trained again the next time its program is.`,
		Example: `  goglove cache rm 3f2a9c01be7d
  goglove cache rm 3f2a9c 8812ab
  goglove cache rm --all`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCacheRm(opts, all, args, cmd.OutOrStdout())
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "remove every entry of the cache")
	return cmd
}

// runCacheRm removes entries.
func runCacheRm(opts *cacheOptions, all bool, args []string, stdout io.Writer) error {
	switch {
	case all && len(args) > 0:
		return usageErrorf("cache rm: --all takes no KEY, got %q; usage: %s", args[0], cacheRmUsage)
	case !all && len(args) == 0:
		return usageErrorf("cache rm: missing arguments: give KEYs or --all; usage: %s", cacheRmUsage)
	}
	prefixes := make([]string, len(args))
	for i, a := range args {
		p := strings.ToLower(a)
		if len(p) < minKeyPrefix || len(p) > 64 || strings.Trim(p, "0123456789abcdef") != "" {
			return usageErrorf("cache rm: key %q is not a key or a prefix of %d to 64 hex digits", a, minKeyPrefix)
		}
		prefixes[i] = p
	}
	c, err := openCache(opts)
	if err != nil {
		return err
	}
	if all {
		removed, err := c.Prune(0)
		printRemoved(stdout, removed)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(stdout, "removed %s, %s\n", countText(len(removed), "entry", "entries"), cache.FormatSize(totalSize(removed)))
		return err
	}
	keys := make([]string, 0, len(prefixes))
	var bad []error
	for _, p := range prefixes {
		key, err := c.Resolve(p)
		if err != nil {
			if errors.Is(err, cache.ErrMiss) || errors.Is(err, cache.ErrAmbiguous) {
				err = badInput(err)
			}
			bad = append(bad, err)
			continue
		}
		keys = append(keys, key)
	}
	if len(bad) > 0 {
		return errors.Join(bad...)
	}
	entries, err := c.List()
	if err != nil {
		return err
	}
	byKey := map[string]cache.Entry{}
	for _, e := range entries {
		byKey[e.Key] = e
	}
	var removed []cache.Entry
	defer func() { printRemoved(stdout, removed) }()
	for _, k := range keys {
		if err := c.Remove(k); errors.Is(err, cache.ErrMiss) {
			continue // named twice, or removed by another process meanwhile
		} else if err != nil {
			return err
		}
		e, ok := byKey[k]
		if !ok { // stored after List
			e = cache.Entry{Key: k}
		}
		removed = append(removed, e)
	}
	return nil
}

// printRemoved prints one line per entry removed.
func printRemoved(w io.Writer, removed []cache.Entry) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, e := range removed {
		fmt.Fprintln(tw, "removed\t"+entryLine(e, false))
	}
	tw.Flush()
}

// totalSize adds up the sizes of entries.
func totalSize(entries []cache.Entry) int64 {
	var n int64
	for _, e := range entries {
		n += e.Size
	}
	return n
}
