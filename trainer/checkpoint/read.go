package checkpoint

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"unicode/utf8"
)

// entry is one tensor's header object; the pointers tell a missing field
// from a zero one.
type entry struct {
	Dtype       *string    `json:"dtype"`
	Shape       *[]int     `json:"shape"`
	DataOffsets *[2]uint64 `json:"data_offsets"`
}

// ReadFile reads the checkpoint in the file path; see Read.
func ReadFile(path string) (*Checkpoint, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	defer f.Close()
	avail := int64(-1)
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		avail = st.Size()
	}
	ckpt, err := read(f, avail)
	if err != nil {
		return nil, fmt.Errorf("%w (file %s)", err, path)
	}
	return ckpt, nil
}

// Read reads a checkpoint written by Write, validating the header, the
// layout, the total size and the checksum as the package documentation
// describes. The Metadata returned omits KeyChecksum.
func Read(r io.Reader) (*Checkpoint, error) {
	avail := int64(-1)
	if l, ok := r.(interface{ Len() int }); ok { // bytes.Reader, bytes.Buffer, strings.Reader
		avail = int64(l.Len())
	}
	return read(r, avail)
}

// read is Read of an input known to hold avail bytes, or -1 if unknown:
// a tensor whose data fits in avail is allocated at once; otherwise its
// capacity doubles as its data arrives, never beyond what was read, so a
// false claim in the header costs no memory.
func read(r io.Reader, avail int64) (*Checkpoint, error) {
	br := bufio.NewReaderSize(r, 256<<10)
	var size [8]byte
	if _, err := io.ReadFull(br, size[:]); err != nil {
		return nil, fmt.Errorf("checkpoint: reading the header size: %w", eof(err))
	}
	n := binary.LittleEndian.Uint64(size[:])
	if n > MaxHeaderSize {
		return nil, fmt.Errorf("checkpoint: header size %d exceeds %d", n, MaxHeaderSize)
	}
	var header bytes.Buffer
	if m, err := io.CopyN(&header, br, int64(n)); err != nil {
		return nil, fmt.Errorf("checkpoint: header of %d bytes truncated at %d: %w", n, m, eof(err))
	}
	ckpt, ends, checksum, err := decodeHeader(header.Bytes())
	if err != nil {
		return nil, err
	}
	sum := sha256.New()
	buf := make([]byte, 4*chunkFloats)
	var offset uint64
	for i := range ckpt.Tensors {
		t := &ckpt.Tensors[i]
		if t.Dtype.size() == 1 {
			if err := readBytes(br, t, avail, offset, ends[i], ends[len(ends)-1], sum); err != nil {
				return nil, err
			}
			offset = ends[i]
			continue
		}
		count := (ends[i] - offset) / 4
		if avail >= 0 && ends[i] <= uint64(avail) {
			t.Data = make([]float32, 0, count)
		} else {
			t.Data = make([]float32, 0, min(count, chunkFloats))
		}
		for remaining := count; remaining > 0; {
			k := min(remaining, chunkFloats)
			b := buf[:4*k]
			if m, err := io.ReadFull(br, b); err != nil {
				at := offset + 4*(count-remaining) + uint64(m)
				return nil, fmt.Errorf("checkpoint: tensor %q: data truncated at byte %d of the data section, want %d: %w",
					t.Name, at, ends[len(ends)-1], eof(err))
			}
			sum.Write(b)
			l := uint64(len(t.Data))
			if l+k > uint64(cap(t.Data)) {
				grown := make([]float32, l, min(count, max(2*l, l+k)))
				copy(grown, t.Data)
				t.Data = grown
			}
			t.Data = t.Data[:l+k]
			dst := t.Data[l:]
			for j := range dst {
				dst[j] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*j:]))
			}
			remaining -= k
		}
		offset = ends[i]
	}
	if _, err := br.ReadByte(); err == nil {
		return nil, fmt.Errorf("checkpoint: trailing bytes after the data section of %d bytes", offset)
	} else if err != io.EOF {
		return nil, fmt.Errorf("checkpoint: reading: %w", err)
	}
	if got := hex.EncodeToString(sum.Sum(nil)); got != checksum {
		return nil, fmt.Errorf("checkpoint: data section checksum mismatch: %s is %s, the data hashes to %s (corrupt file)",
			KeyChecksum, checksum, got)
	}
	return ckpt, nil
}

// readBytes reads the data of the U8 or I8 tensor t, from offset to end
// of the data section (which ends at total), into t.Bytes, hashing it
// into sum; t.Bytes grows as its data arrives unless the input is known
// to hold it (avail).
func readBytes(br io.Reader, t *Tensor, avail int64, offset, end, total uint64, sum io.Writer) error {
	count := end - offset
	if avail >= 0 && end <= uint64(avail) {
		t.Bytes = make([]byte, 0, count)
	} else {
		t.Bytes = make([]byte, 0, min(count, 4*chunkFloats))
	}
	for remaining := count; remaining > 0; {
		k := min(remaining, 4*chunkFloats)
		l := uint64(len(t.Bytes))
		if l+k > uint64(cap(t.Bytes)) {
			grown := make([]byte, l, min(count, max(2*l, l+k)))
			copy(grown, t.Bytes)
			t.Bytes = grown
		}
		b := t.Bytes[l : l+k]
		if m, err := io.ReadFull(br, b); err != nil {
			at := offset + (count - remaining) + uint64(m)
			return fmt.Errorf("checkpoint: tensor %q: data truncated at byte %d of the data section, want %d: %w",
				t.Name, at, total, eof(err))
		}
		sum.Write(b)
		t.Bytes = t.Bytes[:l+k]
		remaining -= k
	}
	return nil
}

// eof turns io.EOF, which means truncation here, into io.ErrUnexpectedEOF.
func eof(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// decodeHeader parses and validates the JSON header. It returns the
// checkpoint without data, each tensor's end offset and the checksum.
func decodeHeader(header []byte) (*Checkpoint, []uint64, string, error) {
	if !utf8.Valid(header) {
		return nil, nil, "", errors.New("checkpoint: header is not valid UTF-8")
	}
	if len(header) == 0 || header[0] != '{' {
		return nil, nil, "", errors.New("checkpoint: header does not start with '{'")
	}
	dec := json.NewDecoder(bytes.NewReader(header))
	dec.DisallowUnknownFields()
	if _, err := dec.Token(); err != nil {
		return nil, nil, "", fmt.Errorf("checkpoint: header: %w", err)
	}
	ckpt := &Checkpoint{}
	var ends []uint64
	var offset uint64
	seen := make(map[string]bool)
	haveMeta := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, "", fmt.Errorf("checkpoint: header: %w", err)
		}
		name := tok.(string) // object keys are always strings
		if name == metadataKey {
			if haveMeta {
				return nil, nil, "", fmt.Errorf("checkpoint: header: %q appears twice", metadataKey)
			}
			haveMeta = true
			if err := dec.Decode(&ckpt.Metadata); err != nil {
				return nil, nil, "", fmt.Errorf("checkpoint: header: %s: %w", metadataKey, err)
			}
			continue
		}
		if name == "" {
			return nil, nil, "", errors.New("checkpoint: header has a tensor with an empty name")
		}
		if seen[name] {
			return nil, nil, "", fmt.Errorf("checkpoint: tensor %q appears twice in the header", name)
		}
		seen[name] = true
		end, shape, dtype, err := decodeEntry(dec, offset)
		if err != nil {
			return nil, nil, "", fmt.Errorf("checkpoint: tensor %q: %w", name, err)
		}
		ckpt.Tensors = append(ckpt.Tensors, Tensor{Name: name, Shape: shape, Dtype: dtype})
		ends = append(ends, end)
		offset = end
	}
	if _, err := dec.Token(); err != nil {
		return nil, nil, "", fmt.Errorf("checkpoint: header: %w", err)
	}
	for _, c := range header[dec.InputOffset():] {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return nil, nil, "", fmt.Errorf("checkpoint: header: unexpected %q after the JSON object", c)
		}
	}
	checksum, ok := ckpt.Metadata[KeyChecksum]
	if !ok {
		return nil, nil, "", fmt.Errorf("checkpoint: metadata has no %s: corruption could not be detected", KeyChecksum)
	}
	delete(ckpt.Metadata, KeyChecksum)
	if len(ckpt.Metadata) == 0 {
		ckpt.Metadata = nil
	}
	return ckpt, ends, checksum, nil
}

// decodeEntry decodes one tensor's header object, which must begin at
// offset in the data section, and returns its end offset, shape and
// dtype (the zero Dtype for F32).
func decodeEntry(dec *json.Decoder, offset uint64) (uint64, []int, Dtype, error) {
	var e entry
	if err := dec.Decode(&e); err != nil {
		return 0, nil, "", err
	}
	switch {
	case e.Dtype == nil:
		return 0, nil, "", errors.New("no dtype")
	case e.Shape == nil:
		return 0, nil, "", errors.New("no shape")
	case e.DataOffsets == nil:
		return 0, nil, "", errors.New("no data_offsets")
	}
	dtype := Dtype(*e.Dtype)
	if dtype == "" || dtype.size() == 0 {
		return 0, nil, "", fmt.Errorf("dtype %q, want %s, %s or %s", *e.Dtype, DtypeF32, DtypeU8, DtypeI8)
	}
	if dtype == DtypeF32 {
		dtype = ""
	}
	shape := *e.Shape
	n, err := elements(shape)
	if err != nil {
		return 0, nil, "", err
	}
	size := dtype.size() * uint64(n)
	begin, end := e.DataOffsets[0], e.DataOffsets[1]
	switch {
	case begin != offset:
		return 0, nil, "", fmt.Errorf("data_offsets [%d, %d] begin at %d, want %d (tensors must be contiguous, in header order)",
			begin, end, begin, offset)
	case end < begin:
		return 0, nil, "", fmt.Errorf("data_offsets [%d, %d] end before they begin", begin, end)
	case end-begin != size:
		return 0, nil, "", fmt.Errorf("shape %v needs %d bytes, data_offsets [%d, %d] give %d",
			shape, size, begin, end, end-begin)
	}
	return end, shape, dtype, nil
}
