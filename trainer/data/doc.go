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
// Fine-tuning tasks change the data: FashionVariant gives Fashion-MNIST
// with its images transformed (exact pixel moves: Rot90, Rot180, Rot270,
// HFlip, VFlip, Transpose, and Invert, in any chain) and with a subset of
// its classes relabelled 0 to k−1, and optionally standardized
// (Standardize: (v − FashionMean) / FashionStd); TransformImages transforms
// any Set of images.
//
// Loading is cached: a search runs hundreds of trials on the same data, so
// FashionMNIST decodes the files of a directory once per process,
// FashionVariant keeps the last few variants (built from, never written
// into, the decoded files) and Synthetic the sets of the last few option
// values it was asked for; later calls return Sets that share the same
// memory. Sets are therefore read-only: a caller
// must never write to X or Y. All functions and methods of the package are
// safe for concurrent use.
//
// Set, Splits, FashionOptions and SyntheticOptions are plain values.
//
// Files: set.go (Set, Splits, Gather), idx.go (the IDX file format),
// fashion.go (Fashion-MNIST), fashion_variant.go (its variants),
// transform.go (image transforms), synthetic.go (the synthetic set),
// errors.go.
package data
