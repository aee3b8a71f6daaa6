package experiments_test

import (
	"os"
	"testing"
)

// TestMain turns the trained-model cache off (GOGLOVE_CACHE=off), so that
// the tests train what they mean to train and write nothing to the
// user's cache directory; a test of the cache sets a directory of its
// own with t.Setenv.
func TestMain(m *testing.M) {
	os.Setenv("GOGLOVE_CACHE", "off")
	os.Exit(m.Run())
}
