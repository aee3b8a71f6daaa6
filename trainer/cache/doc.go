// Package cache keeps trained models on disk so that a program is trained
// once: the key of an entry is a hash of what was trained, its value the
// safetensors checkpoint (package checkpoint) the training produced.
//
// # Keys
//
// Key hashes a canonical form, such as a program's canonical YAML, with
// SHA-256 after the line "goglove-cache-v<FormatVersion>"; a key is 64
// lower-case hex digits. Bumping FormatVersion when trained results or
// the layout change makes every older entry unreachable; LRU eviction
// removes those in time. The methods reject anything else as a key, so a
// key never names a path outside the directory.
//
// # Layout
//
// An entry is the file <dir>/<key[:2]>/<key>.safetensors, a checkpoint
// whose metadata (goglove.program, goglove.metrics) says what it holds.
// Put writes it atomically: a hidden temporary file
// .<key>.safetensors.tmp<N> in the same directory, synced, then renamed
// into place, so a reader sees a whole entry or none. The lock file of a
// key, .<key>.lock, is hidden next to its entry. Only files named as
// entries are entries: List, eviction and the totals ignore the others.
// The checksum in every checkpoint is verified when Get reads it; a
// corrupt entry (truncated, a flipped byte) is removed and reported
// (ErrCorrupt), and Fill then computes it again.
//
// # Concurrency
//
// Get, Put, List, Remove and Prune may run at once in any number of
// goroutines and processes. Fill adds an exclusive lock per key, so that
// an entry is computed once: a goroutine waits for the others of its
// process on a channel, and one of them at a time for the other processes
// on the lock file (flock(2) on Linux, macOS and the BSDs, LockFileEx on
// Windows; on other platforms only the goroutines of one process exclude
// each other). A filler that gets the lock reads the entry again before
// computing it. The holder removes the lock file when it is done; a
// waiter that finds it locked a file no longer at its path tries again.
// The kernel releases the lock of a process that dies, and Prune removes
// lock files older than StaleAge that no process holds.
//
// # Eviction
//
// An entry's last use is its file's modification time: Put sets it, and
// Get sets it to the time of the read. When Cache.MaxBytes is set, Put
// removes the least recently used entries (never the one it wrote) until
// the entries' total size is at most MaxBytes. Prune evicts the same way
// down to any size, and also removes temporary files older than StaleAge,
// which a writer that crashed left behind.
//
// # Configuration
//
// Default opens the cache the environment configures: GOGLOVE_CACHE names
// the directory (default goglove/models in os.UserCacheDir), or is "off"
// to turn caching off; GOGLOVE_CACHE_SIZE bounds its size ("2GiB",
// "500MB", plain bytes; 0 for no limit; default 4 GiB).
//
// Files: cache.go (Cache, Open, Key, the errors), env.go (Default and the
// environment), size.go (ParseSize, FormatSize), get.go, put.go, fill.go,
// entry.go (Entry, List), prune.go (Remove, Resolve, Prune), lock*.go
// (the per-key lock).
package cache
