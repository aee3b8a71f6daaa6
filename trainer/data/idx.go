package data

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The IDX format (used by MNIST and Fashion-MNIST) is a header followed by
// the data: two zero bytes, a type code (0x08 for unsigned bytes, the only
// type this package reads), the number of dimensions, then each dimension
// as a big-endian uint32, then the product of the dimensions elements in
// row-major order, and nothing after them.

const (
	idxTypeUbyte = 0x08
	// maxIDXDims bounds the number of dimensions a header may declare.
	maxIDXDims = 8
	// maxIDXBytes bounds the data size a header may declare (4 GiB), so a
	// corrupt header cannot make a caller allocate without limit.
	maxIDXBytes = 1 << 32
	// idxChunk is the size of the chunks the data is passed on in.
	idxChunk = 64 << 10
	// idxPipelined is the data size from which reading and consuming the
	// data overlap.
	idxPipelined = 1 << 20
)

// idxReader reads one IDX file of unsigned bytes: newIDXReader reads and
// checks the header, then body passes the data on in chunks and checks
// that the file ends where the header says. It is not safe for concurrent
// use.
type idxReader struct {
	name  string // the file name, for errors
	r     io.Reader
	dims  []int
	count int // product of dims: the number of data bytes
}

// newIDXReader reads the header of the IDX data in r; name names the file
// in errors.
func newIDXReader(r io.Reader, name string) (*idxReader, error) {
	var magic [4]byte
	if n, err := io.ReadFull(r, magic[:]); err != nil {
		return nil, readError(name, err, fmt.Sprintf("the file ends after %d bytes, in the 4-byte IDX magic number", n))
	}
	if magic[0] != 0 || magic[1] != 0 {
		return nil, formatErrorf(name, "not an IDX file (magic number %02x%02x%02x%02x, want 0000 then type and rank)", magic[0], magic[1], magic[2], magic[3])
	}
	if magic[2] != idxTypeUbyte {
		return nil, formatErrorf(name, "IDX element type 0x%02x, want 0x08 (unsigned byte)", magic[2])
	}
	rank := int(magic[3])
	if rank < 1 || rank > maxIDXDims {
		return nil, formatErrorf(name, "IDX header declares %d dimensions, want 1 to %d", rank, maxIDXDims)
	}
	raw := make([]byte, 4*rank)
	if n, err := io.ReadFull(r, raw); err != nil {
		return nil, readError(name, err, fmt.Sprintf("the file ends in the IDX header, after %d of its %d dimension bytes", n, len(raw)))
	}
	d := &idxReader{name: name, r: r, dims: make([]int, rank), count: 1}
	for i := range d.dims {
		d.dims[i] = int(binary.BigEndian.Uint32(raw[4*i:]))
	}
	for _, v := range d.dims {
		if v != 0 && d.count > maxIDXBytes/v {
			return nil, formatErrorf(name, "IDX header declares %s elements, more than the limit of %d", d.shape(), maxIDXBytes)
		}
		d.count *= v
	}
	return d, nil
}

// shape returns the dimensions as "60000×28×28".
func (d *idxReader) shape() string {
	s := make([]string, len(d.dims))
	for i, v := range d.dims {
		s[i] = fmt.Sprint(v)
	}
	return strings.Join(s, "×")
}

// body reads the count data bytes, calling sink with consecutive chunks
// (sink must not keep the slice), then checks that nothing follows them.
// For large files, reading (which for a gzipped file is mostly
// decompressing) runs on a goroutine of its own while sink consumes the
// previous chunks, so the two overlap on two cores; sink is called on the
// caller's goroutine.
func (d *idxReader) body(sink func(chunk []byte)) error {
	if d.count < idxPipelined {
		buf := make([]byte, min(idxChunk, max(d.count, 1)))
		return d.read(func() []byte { return buf }, sink)
	}
	const buffers = 4
	free := make(chan []byte, buffers) // never blocks: it holds at most every buffer
	for range buffers {
		free <- make([]byte, idxChunk)
	}
	full := make(chan []byte, buffers)
	var err error
	go func() {
		defer close(full) // after err is set: the receive loop below ends, then err is read
		err = d.read(func() []byte { return <-free }, func(chunk []byte) { full <- chunk })
	}()
	for chunk := range full {
		sink(chunk)
		free <- chunk[:cap(chunk)]
	}
	return err
}

// read reads the data in chunks into buffers from next, passing each to
// sink, then checks that the file ends.
func (d *idxReader) read(next func() []byte, sink func(chunk []byte)) error {
	for left := d.count; left > 0; {
		buf := next()
		n, err := io.ReadFull(d.r, buf[:min(left, len(buf))])
		if err != nil {
			return readError(d.name, err, fmt.Sprintf("truncated: the IDX header declares %s = %d data bytes, the file has %d",
				d.shape(), d.count, d.count-left+n))
		}
		sink(buf[:n])
		left -= n
	}
	var one [1]byte
	switch n, err := io.ReadFull(d.r, one[:]); {
	case n > 0:
		return formatErrorf(d.name, "data after the %d bytes the IDX header declares (%s)", d.count, d.shape())
	case err == io.EOF:
		return nil
	default:
		return readError(d.name, err, "")
	}
}

// readError wraps an error of reading name: an early end of the data
// becomes a format error saying what was cut short (short); other errors
// (I/O, a corrupt gzip stream) are wrapped with the file name.
func readError(name string, err error, short string) error {
	if (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)) && short != "" {
		return formatErrorf(name, "%s", short)
	}
	return fmt.Errorf("data: %s: %w", name, err)
}

// formatErrorf returns an error wrapping ErrFormat whose message names
// the file: "data: NAME: DETAIL".
func formatErrorf(name, format string, args ...any) error {
	return &wrapped{msg: "data: " + name + ": " + fmt.Sprintf(format, args...), err: ErrFormat}
}

// wrapped is an error with a message of its own that wraps a sentinel
// without repeating the sentinel's text.
type wrapped struct {
	msg string
	err error
}

func (w *wrapped) Error() string { return w.msg }
func (w *wrapped) Unwrap() error { return w.err }
