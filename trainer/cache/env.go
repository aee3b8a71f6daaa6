package cache

import (
	"fmt"
	"os"
	"path/filepath"
)

// The environment variables Default reads.
const (
	// EnvDir names the cache directory; "off" turns caching off.
	EnvDir = "GOGLOVE_CACHE"
	// EnvSize bounds the cache's total size (see ParseSize).
	EnvSize = "GOGLOVE_CACHE_SIZE"
)

// DefaultMaxBytes is the size limit of Default when GOGLOVE_CACHE_SIZE is
// not set: 4 GiB.
const DefaultMaxBytes int64 = 4 << 30

// Default opens the cache the environment configures: in the directory
// DefaultDir returns, with the size limit EnvMaxBytes returns. With
// GOGLOVE_CACHE=off it returns (nil, nil): caching is off.
func Default() (*Cache, error) {
	dir, err := DefaultDir()
	if err == ErrOff {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	maxBytes, err := EnvMaxBytes()
	if err != nil {
		return nil, err
	}
	return Open(dir, maxBytes)
}

// DefaultDir returns the cache directory the environment configures:
// $GOGLOVE_CACHE when it is set and not empty, else the directory
// goglove/models in the user's cache directory (os.UserCacheDir:
// $XDG_CACHE_HOME or ~/.cache on Linux). With GOGLOVE_CACHE=off it
// returns ErrOff.
func DefaultDir() (string, error) {
	switch dir := os.Getenv(EnvDir); dir {
	case "off":
		return "", ErrOff
	case "":
	default:
		return dir, nil
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("cache: no cache directory (set %s): %w", EnvDir, err)
	}
	return filepath.Join(base, "goglove", "models"), nil
}

// EnvMaxBytes returns the size limit GOGLOVE_CACHE_SIZE sets (see
// ParseSize; 0 means no limit), DefaultMaxBytes when it is not set or
// empty. The error for a value that is not a size is one line naming the
// variable.
func EnvMaxBytes() (int64, error) {
	s := os.Getenv(EnvSize)
	if s == "" {
		return DefaultMaxBytes, nil
	}
	n, err := ParseSize(s)
	if err != nil {
		return 0, fmt.Errorf("cache: %s %q: %w", EnvSize, s, err)
	}
	return n, nil
}
