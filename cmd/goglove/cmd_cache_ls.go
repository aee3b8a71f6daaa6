package main

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/c2602f9e/goglove/trainer/cache"
	"github.com/spf13/cobra"
)

const cacheLsUsage = "goglove cache ls [--dir DIR] [--json]"

func newCacheLsCmd(opts *cacheOptions) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "ls [--json]",
		Short: "List the cached models, most recently used first",
		Long: `Ls lists the entries of the cache, most recently used first, one line
each: the first 12 hex digits of the key (what "goglove cache rm" takes),
the size, when it was last used (trained or read; UTC, RFC 3339), the
program's type with its model's, and its test_accuracy when the metrics
hold one. A last line gives the number of entries, their total size and
the size limit. Ls reads only the headers of the files, so an entry that
looks fine may still turn out corrupt when read (it is then removed and
trained again); one whose header cannot be read shows as unreadable.

With --json it prints one object:

    {"dir": DIR, "max_bytes": N,
     "entries": [{"key": KEY, "path": FILE, "size_bytes": N,
                  "used": "2006-01-02T15:04:05Z", "program": TYPE,
                  "metrics": {"test_accuracy": 0.97, ...}}],
     "total_bytes": N}

where max_bytes is 0 for no limit, and an entry whose header cannot be
read has an "error" string.`,
		Example: `  goglove cache ls
  goglove cache ls --json | jq '.entries[0].metrics'`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCacheLs(opts, asJSON, args, cmd.OutOrStdout())
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}

// cacheLsJSON is the output of cache ls --json; the JSON names are part
// of the command's output format.
type cacheLsJSON struct {
	Dir        string           `json:"dir"`
	MaxBytes   int64            `json:"max_bytes"`
	Entries    []cacheEntryJSON `json:"entries"`
	TotalBytes int64            `json:"total_bytes"`
}

// cacheEntryJSON is one entry of cache ls --json.
type cacheEntryJSON struct {
	Key       string             `json:"key"`
	Path      string             `json:"path"`
	SizeBytes int64              `json:"size_bytes"`
	Used      time.Time          `json:"used"`
	Program   string             `json:"program"`
	Metrics   map[string]float64 `json:"metrics"`
	Error     string             `json:"error,omitempty"`
}

// runCacheLs lists the cache.
func runCacheLs(opts *cacheOptions, asJSON bool, args []string, stdout io.Writer) error {
	if err := checkArgCount("cache ls", args, 0, cacheLsUsage); err != nil {
		return err
	}
	c, err := openCache(opts)
	if err != nil {
		return err
	}
	entries, err := c.List()
	if err != nil {
		return err
	}
	out := cacheLsJSON{Dir: c.Dir, MaxBytes: c.MaxBytes, Entries: []cacheEntryJSON{}}
	for _, e := range entries {
		j := cacheEntryJSON{Key: e.Key, Path: e.Path, SizeBytes: e.Size, Used: e.Used.UTC().Truncate(time.Second),
			Program: e.Program, Metrics: e.Metrics}
		if j.Metrics == nil {
			j.Metrics = map[string]float64{}
		}
		if e.Err != nil {
			j.Error = e.Err.Error()
		}
		out.Entries = append(out.Entries, j)
		out.TotalBytes += e.Size
	}
	if asJSON {
		return writeJSON(stdout, out)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	for _, e := range entries {
		fmt.Fprintln(tw, entryLine(e, true))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "%s, %s in %s (%s)\n", countText(len(entries), "entry", "entries"),
		cache.FormatSize(out.TotalBytes), cell(c.Dir), limitText(c.MaxBytes))
	return err
}

// countText spells n things: "1 entry", "3 entries".
func countText(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
