// Package data provides the datasets that child programs train on: the
// Fashion-MNIST images of the Debian package dataset-fashion-mnist, and a
// deterministic synthetic classification set built into the binary for the
// quickstart and fast tests.
//
// A dataset comes as Splits of three Sets (train, validation, test). A Set
// holds its examples as one row-major float32 matrix X (N rows of Features
// values, pixels scaled to [0, 1]) and int32 labels Y in [0, Classes).
// Training loops copy mini-batches out of a Set with Gather.
//
// Loading is cached: a search runs hundreds of trials on the same data, so
// FashionMNIST decodes the files of a directory once per process and
// Synthetic keeps the sets of the last few option values it was asked for;
// later calls return Sets that share the same memory. Sets are therefore read-only: a caller
// must never write to X or Y. All functions and methods of the package are
// safe for concurrent use.
//
// Set, Splits and SyntheticOptions are plain values.
//
// Files: set.go (Set, Splits, Gather), idx.go (the IDX file format),
// fashion.go (Fashion-MNIST), synthetic.go (the synthetic set), errors.go.
package data
