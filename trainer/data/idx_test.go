package data

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
)

// makeIDX returns an IDX file of unsigned bytes with the given dimensions
// and data (which need not match them, to make bad files).
func makeIDX(dims []int, data []byte) []byte {
	b := []byte{0, 0, idxTypeUbyte, byte(len(dims))}
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, uint32(d))
	}
	return append(b, data...)
}

// parseIDX reads a whole IDX file from b, as the tests and the fuzz target
// use it.
func parseIDX(b []byte, name string) (dims []int, data []byte, err error) {
	d, err := newIDXReader(bytes.NewReader(b), name)
	if err != nil {
		return nil, nil, err
	}
	err = d.body(func(chunk []byte) { data = append(data, chunk...) })
	return d.dims, data, err
}

func TestIDX(t *testing.T) {
	big := bytes.Repeat([]byte{7}, 3*idxChunk+5)              // several chunks
	huge := bytes.Repeat([]byte{1, 2, 3}, idxPipelined/3+100) // read on a goroutine
	tests := []struct {
		name     string
		in       []byte
		wantDims []int
		wantErr  string // "" for success
	}{
		{"labels", makeIDX([]int{3}, []byte{1, 2, 3}), []int{3}, ""},
		{"images", makeIDX([]int{2, 2, 3}, []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}), []int{2, 2, 3}, ""},
		{"empty data", makeIDX([]int{0, 28, 28}, nil), []int{0, 28, 28}, ""},
		{"several chunks", makeIDX([]int{len(big)}, big), []int{len(big)}, ""},
		{"pipelined", makeIDX([]int{len(huge)}, huge), []int{len(huge)}, ""},
		{"pipelined truncated", makeIDX([]int{len(huge) + 1}, huge), nil, "data bytes, the file has 1048875"},
		{"pipelined trailing", makeIDX([]int{len(huge) - 1}, huge), nil, "data after the 1048874 bytes"},
		{"empty file", nil, nil, "the file ends after 0 bytes, in the 4-byte IDX magic number"},
		{"short magic", []byte{0, 0, 8}, nil, "the file ends after 3 bytes"},
		{"not IDX", []byte("PK\x03\x04rest"), nil, "not an IDX file (magic number 504b0304"},
		{"int32 elements", []byte{0, 0, 0x0c, 1, 0, 0, 0, 1, 0, 0, 0, 5}, nil, "IDX element type 0x0c, want 0x08"},
		{"rank 0", []byte{0, 0, 8, 0}, nil, "declares 0 dimensions, want 1 to 8"},
		{"rank 9", []byte{0, 0, 8, 9}, nil, "declares 9 dimensions, want 1 to 8"},
		{"short header", []byte{0, 0, 8, 3, 0, 0, 0, 2, 0, 0}, nil, "ends in the IDX header, after 6 of its 12 dimension bytes"},
		{"truncated data", makeIDX([]int{2, 2, 2}, []byte{1, 2, 3}), nil, "truncated: the IDX header declares 2×2×2 = 8 data bytes, the file has 3"},
		{"truncated big", makeIDX([]int{len(big) + 1}, big), nil, "the file has 196613"},
		{"trailing data", makeIDX([]int{2}, []byte{1, 2, 3}), nil, "data after the 2 bytes the IDX header declares (2)"},
		{"too large", makeIDX([]int{1 << 20, 1 << 20, 1 << 20}, nil), nil, "declares 1048576×1048576×1048576 elements, more than the limit"},
		{"too large by one", makeIDX([]int{1 << 16, 1<<16 + 1}, nil), nil, "more than the limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dims, data, err := parseIDX(tt.in, "x.idx")
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("parse succeeded with dims %v, want error %q", dims, tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantErr) || !strings.HasPrefix(err.Error(), "data: x.idx: ") {
					t.Errorf("error %q, want it to start with %q and contain %q", err, "data: x.idx: ", tt.wantErr)
				}
				if !errors.Is(err, ErrFormat) {
					t.Errorf("error %q does not wrap ErrFormat", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !equalInts(dims, tt.wantDims) {
				t.Errorf("dims %v, want %v", dims, tt.wantDims)
			}
			if want := tt.in[4+4*len(dims):]; !bytes.Equal(data, want) {
				t.Errorf("data %v, want %v", data, want)
			}
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// FuzzIDX checks that the IDX reader never panics and that what it
// accepts is consistent: the data has the size the header declares, and
// writing the file again gives the same bytes.
func FuzzIDX(f *testing.F) {
	f.Add(makeIDX([]int{3}, []byte{1, 2, 3}))
	f.Add(makeIDX([]int{1, 2, 2}, []byte{0, 64, 128, 255}))
	f.Add([]byte{0, 0, 8, 2, 0, 0, 0, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		dims, data, err := parseIDX(b, "fuzz")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "data: fuzz: ") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		n := 1
		for _, d := range dims {
			n *= d
		}
		if len(data) != n {
			t.Fatalf("dims %v but %d data bytes", dims, len(data))
		}
		if again := makeIDX(dims, data); !bytes.Equal(again, b) {
			t.Fatalf("re-encoding gives %x, want %x", again, b)
		}
	})
}
