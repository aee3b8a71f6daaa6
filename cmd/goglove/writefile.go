package main

import (
	"os"
	"path/filepath"
)

// writeFileAtomic replaces the content of the existing file at path with
// data, so that readers see either the old or the new content: it writes a
// temporary file in the same directory, gives it the file's permissions,
// syncs it and renames it over the file. A symbolic link is followed, so
// the file it points to is replaced and the link kept. Only regular files
// are rewritten; anything else is bad input.
func writeFileAtomic(path string, data []byte) (err error) {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return err
	}
	fi, err := os.Stat(target)
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return usageErrorf("%s: not a regular file; cannot rewrite it", path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".goglove-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close() // may be closed already; the first error is the one to report
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Chmod(fi.Mode().Perm()); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), target)
}
