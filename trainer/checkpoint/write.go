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
	"path/filepath"
	"strconv"
)

// chunkFloats is how many values Write and Read convert at a time.
const chunkFloats = 64 << 10

// Write writes ckpt to w in the safetensors format, with KeyChecksum added
// to the metadata. It checks ckpt first: unique non-empty tensor names
// other than "__metadata__", a known dtype, shapes matching the data (in
// Data for F32, in Bytes for U8 and I8, the other empty), no KeyChecksum
// in Metadata. Nothing is written for an invalid checkpoint.
func Write(w io.Writer, ckpt *Checkpoint) error {
	if ckpt == nil {
		return errors.New("checkpoint: nil checkpoint")
	}
	if err := validate(ckpt); err != nil {
		return err
	}
	buf := make([]byte, 4*chunkFloats)
	sum := sha256.New()
	for i := range ckpt.Tensors {
		if err := encodeData(sum, &ckpt.Tensors[i], buf); err != nil {
			return err
		}
	}
	header, err := encodeHeader(ckpt, hex.EncodeToString(sum.Sum(nil)))
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	var size [8]byte
	binary.LittleEndian.PutUint64(size[:], uint64(len(header)))
	bw.Write(size[:])
	bw.Write(header)
	for i := range ckpt.Tensors {
		if err := encodeData(bw, &ckpt.Tensors[i], buf); err != nil {
			return fmt.Errorf("checkpoint: writing tensor %q: %w", ckpt.Tensors[i].Name, err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("checkpoint: writing: %w", err)
	}
	return nil
}

// validate checks the checkpoint Write is given.
func validate(ckpt *Checkpoint) error {
	if _, ok := ckpt.Metadata[KeyChecksum]; ok {
		return fmt.Errorf("checkpoint: metadata key %q is reserved: Write sets it", KeyChecksum)
	}
	seen := make(map[string]bool, len(ckpt.Tensors))
	for i, t := range ckpt.Tensors {
		switch {
		case t.Name == "":
			return fmt.Errorf("checkpoint: tensor %d has no name", i)
		case t.Name == metadataKey:
			return fmt.Errorf("checkpoint: tensor name %q is reserved", t.Name)
		case seen[t.Name]:
			return fmt.Errorf("checkpoint: tensor %q appears twice", t.Name)
		}
		seen[t.Name] = true
		n, err := elements(t.Shape)
		if err != nil {
			return fmt.Errorf("checkpoint: tensor %q: %w", t.Name, err)
		}
		switch t.Dtype.size() {
		case 0:
			return fmt.Errorf("checkpoint: tensor %q: dtype %q, want %s, %s or %s", t.Name, t.Dtype, DtypeF32, DtypeU8, DtypeI8)
		case 1:
			if len(t.Data) != 0 {
				return fmt.Errorf("checkpoint: tensor %q: dtype %s holds its values in Bytes, Data has %d", t.Name, t.Dtype, len(t.Data))
			}
		default:
			if len(t.Bytes) != 0 {
				return fmt.Errorf("checkpoint: tensor %q: dtype F32 holds its values in Data, Bytes has %d", t.Name, len(t.Bytes))
			}
		}
		if n != int64(t.Len()) {
			return fmt.Errorf("checkpoint: tensor %q: shape %v has %d elements, data has %d",
				t.Name, t.Shape, n, t.Len())
		}
	}
	return nil
}

// encodeHeader returns the JSON header, padded with spaces to a multiple
// of 8 bytes. Tensors appear in order, after the metadata.
func encodeHeader(ckpt *Checkpoint, checksum string) ([]byte, error) {
	meta := make(map[string]string, len(ckpt.Metadata)+1)
	for k, v := range ckpt.Metadata {
		meta[k] = v
	}
	meta[KeyChecksum] = checksum
	metaJSON, err := json.Marshal(meta)
	if err != nil {
		return nil, fmt.Errorf("checkpoint: encoding metadata: %w", err)
	}
	var b bytes.Buffer
	b.WriteString(`{"` + metadataKey + `":`)
	b.Write(metaJSON)
	var offset uint64
	for _, t := range ckpt.Tensors {
		name, err := json.Marshal(t.Name)
		if err != nil {
			return nil, fmt.Errorf("checkpoint: tensor %q: encoding name: %w", t.Name, err)
		}
		b.WriteByte(',')
		b.Write(name)
		b.WriteString(`:{"dtype":"` + t.Dtype.name() + `","shape":[`)
		for j, d := range t.Shape {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(d))
		}
		end := offset + t.Dtype.size()*uint64(t.Len())
		fmt.Fprintf(&b, `],"data_offsets":[%d,%d]}`, offset, end)
		offset = end
	}
	b.WriteByte('}')
	for b.Len()%8 != 0 {
		b.WriteByte(' ')
	}
	if b.Len() > MaxHeaderSize {
		return nil, fmt.Errorf("checkpoint: header of %d bytes exceeds %d", b.Len(), MaxHeaderSize)
	}
	return b.Bytes(), nil
}

// encodeData writes t's values to w: Bytes as they are, Data as
// little-endian float32 in chunks through buf, which holds chunkFloats
// values.
func encodeData(w io.Writer, t *Tensor, buf []byte) error {
	if t.Dtype.size() == 1 {
		_, err := w.Write(t.Bytes)
		return err
	}
	data := t.Data
	for len(data) > 0 {
		n := min(len(data), chunkFloats)
		for i, v := range data[:n] {
			binary.LittleEndian.PutUint32(buf[4*i:], math.Float32bits(v))
		}
		if _, err := w.Write(buf[:4*n]); err != nil {
			return err
		}
		data = data[n:]
	}
	return nil
}

// WriteFile writes ckpt to the file path atomically: to a temporary file
// in the same directory, synced, then renamed over path. On error path is
// left as it was and the temporary file is removed.
func WriteFile(path string, ckpt *Checkpoint) (err error) {
	if ckpt == nil {
		return errors.New("checkpoint: nil checkpoint")
	}
	if err := validate(ckpt); err != nil {
		return err
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp*")
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := Write(f, ckpt); err != nil {
		return fmt.Errorf("%w (file %s)", err, path)
	}
	if err := f.Chmod(0o644); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // best effort: make the rename durable
		d.Close()
	}
	return nil
}
