package checkpoint

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"strings"
	"testing"
)

// TestByteDtypes checks that U8 and I8 tensors are written with their
// dtype and one byte a value, and read back equal, F32 tensors between
// them keeping the zero Dtype.
func TestByteDtypes(t *testing.T) {
	ckpt := &Checkpoint{Tensors: []Tensor{
		{Name: "layers[0].w.codes", Shape: []int{2, 3}, Dtype: DtypeU8, Bytes: []byte{0, 1, 2, 240, 241, 242}},
		{Name: "layers[0].w.scales", Shape: []int{1}, Data: []float32{0.25}},
		{Name: "layers[1].w.codes", Shape: []int{3}, Dtype: DtypeI8, Bytes: []byte{0x81, 0, 0x7f}},
		{Name: "empty", Shape: []int{0}, Dtype: DtypeU8},
	}, Metadata: map[string]string{"k": "v"}}
	var buf bytes.Buffer
	if err := Write(&buf, ckpt); err != nil {
		t.Fatal(err)
	}
	file := buf.Bytes()
	n := binary.LittleEndian.Uint64(file)
	var header map[string]json.RawMessage
	if err := json.Unmarshal(file[8:8+n], &header); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"layers[0].w.codes":  `{"dtype":"U8","shape":[2,3],"data_offsets":[0,6]}`,
		"layers[0].w.scales": `{"dtype":"F32","shape":[1],"data_offsets":[6,10]}`,
		"layers[1].w.codes":  `{"dtype":"I8","shape":[3],"data_offsets":[10,13]}`,
	} {
		if got := string(header[name]); got != want {
			t.Errorf("header of %s: %s, want %s", name, got, want)
		}
	}
	if got := len(file) - 8 - int(n); got != 13 {
		t.Errorf("data section of %d bytes, want 13", got)
	}
	for _, streamed := range []bool{false, true} {
		var r interface{ Read([]byte) (int, error) } = bytes.NewReader(file)
		if streamed {
			r = struct{ *bytes.Reader }{bytes.NewReader(file)}
		}
		back, err := Read(r)
		if err != nil {
			t.Fatal(err)
		}
		if d := sameCheckpoint(ckpt, back); d != "" {
			t.Errorf("streamed=%v: round trip: %s", streamed, d)
		}
	}
	truncated := file[:len(file)-1]
	if _, err := Read(bytes.NewReader(truncated)); err == nil || !strings.Contains(err.Error(), `tensor "layers[1].w.codes": data truncated at byte 12 of the data section, want 13`) {
		t.Errorf("truncated: %v", err)
	}
}

func TestByteDtypesInvalid(t *testing.T) {
	for _, tc := range []struct {
		t    Tensor
		want string
	}{
		{Tensor{Name: "a", Shape: []int{2}, Dtype: DtypeU8, Bytes: []byte{1}}, `tensor "a": shape [2] has 2 elements, data has 1`},
		{Tensor{Name: "a", Shape: []int{1}, Dtype: DtypeU8, Bytes: []byte{1}, Data: []float32{1}}, `tensor "a": dtype U8 holds its values in Bytes, Data has 1`},
		{Tensor{Name: "a", Shape: []int{1}, Data: []float32{1}, Bytes: []byte{1}}, `tensor "a": dtype F32 holds its values in Data, Bytes has 1`},
		{Tensor{Name: "a", Shape: []int{1}, Dtype: "F16", Data: []float32{1}}, `tensor "a": dtype "F16", want F32, U8 or I8`},
	} {
		if err := Write(&bytes.Buffer{}, &Checkpoint{Tensors: []Tensor{tc.t}}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Write: %v, want %q", err, tc.want)
		}
	}
	file := craft(`{`+meta+`,"a":{"dtype":"U8","shape":[3],"data_offsets":[0,4]}}`, make([]byte, 4))
	if _, err := Read(bytes.NewReader(file)); err == nil || !strings.Contains(err.Error(), `tensor "a": shape [3] needs 3 bytes, data_offsets [0, 4] give 4`) {
		t.Errorf("Read of a U8 tensor of the wrong size: %v", err)
	}
}
