package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// FormatVersion is mixed into every key; bump it when trained results or
// the entry layout change, so that old entries are no longer found (Prune
// evicts them in time, like any entry that is not used).
const FormatVersion = 1

// The errors of the package's methods wrap these sentinels where they
// apply; every message starts "cache: " and names the file concerned.
var (
	// ErrMiss is wrapped by the error of Get (and Remove, Resolve) when the
	// cache holds no entry for the key.
	ErrMiss = errors.New("cache: no entry")
	// ErrCorrupt is wrapped by the error of Get when an entry exists but
	// cannot be read (truncated, checksum mismatch, malformed header); Get
	// has removed the entry by then.
	ErrCorrupt = errors.New("cache: corrupt entry")
	// ErrAmbiguous is wrapped by the error of Resolve when a key prefix
	// matches several entries.
	ErrAmbiguous = errors.New("cache: ambiguous key prefix")
	// ErrOff is returned by DefaultDir when GOGLOVE_CACHE is "off".
	ErrOff = errors.New("cache: caching is off (" + EnvDir + "=off)")
)

// Cache is a directory of trained models, one safetensors file per key;
// see the package documentation for the layout and the rules. Its methods
// are safe for concurrent use, also by other processes sharing Dir.
type Cache struct {
	// Dir is the directory of the cache.
	Dir string
	// MaxBytes bounds the total size of the entries: Put evicts the least
	// recently used ones beyond it. 0 means no limit.
	MaxBytes int64
}

// Open returns the cache in dir, creating the directory (mode 0o755, with
// its parents) if needed. maxBytes is Cache.MaxBytes: 0 for no limit; it
// may not be negative.
func Open(dir string, maxBytes int64) (*Cache, error) {
	if dir == "" {
		return nil, errors.New("cache: empty directory name")
	}
	if maxBytes < 0 {
		return nil, fmt.Errorf("cache: size limit %d is negative, want 0 (no limit) or more", maxBytes)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	return &Cache{Dir: filepath.Clean(dir), MaxBytes: maxBytes}, nil
}

// keyPrefix starts the text Key hashes.
var keyPrefix = "goglove-cache-v" + strconv.Itoa(FormatVersion) + "\n"

// Key returns the key of the entry for canonical, the canonical form of
// what was trained (the program's canonical YAML, say): the lower-case hex
// SHA-256 of "goglove-cache-v<FormatVersion>\n" followed by canonical.
func Key(canonical []byte) string {
	h := sha256.New()
	h.Write([]byte(keyPrefix))
	h.Write(canonical)
	return hex.EncodeToString(h.Sum(nil))
}

// keyLen is the length of a key: 64 hex digits.
const keyLen = 2 * sha256.Size

// checkKey reports an error unless key has the form Key returns; the
// methods check their keys so that no key can name a path elsewhere.
func checkKey(key string) error {
	if len(key) != keyLen || !isHex(key) {
		return fmt.Errorf("cache: key %q is not %d lower-case hex digits", key, keyLen)
	}
	return nil
}

// isHex reports whether s holds only lower-case hex digits.
func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// entrySuffix ends the name of every entry file.
const entrySuffix = ".safetensors"

// shard returns the directory of the entries whose keys start as key does.
func (c *Cache) shard(key string) string { return filepath.Join(c.Dir, key[:2]) }

// Path returns the file of the entry for key,
// <Dir>/<key[:2]>/<key>.safetensors, whether or not it exists.
func (c *Cache) Path(key string) string {
	return filepath.Join(c.shard(key), key+entrySuffix)
}

// lockPath returns the lock file of key, hidden next to its entry.
func (c *Cache) lockPath(key string) string {
	return filepath.Join(c.shard(key), "."+key+lockSuffix)
}

// lockSuffix ends the name of every lock file.
const lockSuffix = ".lock"
