package sqlitestore

import (
	"errors"
	"io/fs"
	"os"
)

// createPrivate creates the database file, if it does not exist, readable
// and writable by its owner alone (0600). A study's store holds the
// objective command that every worker of the study runs, so write access
// to it is the power to run code on the workers' machines; SQLite gives
// its -wal and -shm files the database file's permissions. An existing
// file keeps the permissions its owner gave it.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}
