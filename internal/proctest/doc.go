// Package proctest helps tests see which processes of a process group are
// alive, so that tests of objectives that start processes can check that
// none outlives its trial. It reads /proc and so works on Linux only.
// Its functions are safe for concurrent use.
package proctest
