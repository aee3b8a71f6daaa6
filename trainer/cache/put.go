package cache

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/c2602f9e/goglove/trainer/checkpoint"
)

// Put stores ckpt as the entry for key, replacing any entry there. The
// file is written atomically (a temporary file in the entry's directory,
// synced, then renamed into place; checkpoint.WriteFile), so a reader
// never sees half an entry. Then, when MaxBytes is set, Put evicts the
// least recently used entries while the total size exceeds it, never the
// entry just written; the error of a failed eviction names the file.
func (c *Cache) Put(key string, ckpt *checkpoint.Checkpoint) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := os.MkdirAll(c.shard(key), 0o755); err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	path := c.Path(key)
	if err := checkpoint.WriteFile(path, ckpt); err != nil {
		return fmt.Errorf("cache: storing %s: %w", path, err)
	}
	if c.MaxBytes == 0 {
		return nil
	}
	_, err := c.evict(c.MaxBytes, key)
	return err
}

// evict removes the least recently used entries, other than keep's, until
// their total size is at most maxBytes, and returns them (with the
// details of their headers when readable). Entries that vanish meanwhile
// (another process evicted them) are not counted.
func (c *Cache) evict(maxBytes int64, keep string) ([]Entry, error) {
	entries, err := c.scan()
	if err != nil {
		return nil, err
	}
	var total int64
	for _, e := range entries {
		total += e.Size
	}
	// Oldest first; among equal times, by key, so eviction is
	// deterministic.
	slices.SortFunc(entries, func(a, b Entry) int {
		if d := a.Used.Compare(b.Used); d != 0 {
			return d
		}
		return strings.Compare(a.Key, b.Key)
	})
	var removed []Entry
	for _, e := range entries {
		if total <= maxBytes {
			break
		}
		if e.Key == keep {
			continue
		}
		e.readHeader()
		if err := os.Remove(e.Path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, fmt.Errorf("cache: evicting %s: %w", e.Path, unwrapPath(err))
		} else if err == nil {
			removed = append(removed, e)
		}
		total -= e.Size
	}
	return removed, nil
}
