package checkpoint

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"io"
	"strings"
	"testing"
)

// craft builds a file from a header template and a data section: "SUM"
// in the header is replaced by the data's SHA-256, so that only the flaw
// a case means to test is present.
func craft(header string, data []byte) []byte {
	sum := sha256.Sum256(data)
	header = strings.ReplaceAll(header, "SUM", hex.EncodeToString(sum[:]))
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, uint64(len(header)))
	b.WriteString(header)
	b.Write(data)
	return b.Bytes()
}

const meta = `"__metadata__":{"goglove.data_sha256":"SUM"}`

func TestReadValidates(t *testing.T) {
	data8 := make([]byte, 8)
	for _, tc := range []struct {
		name  string
		file  []byte
		wants string // "" means the file is valid
	}{
		{"valid", craft(`{`+meta+`,"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, data8), ""},
		{"valid, metadata last, whitespace", craft("{ \"a\" : {\"data_offsets\":[0,4],\"shape\":[1,1],\"dtype\":\"F32\"},\n"+meta+"}  \n", data8[:4]), ""},
		{"gap before first", craft(`{`+meta+`,"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, data8), `tensor "a": data_offsets [4, 8] begin at 4, want 0`},
		{"overlap", craft(`{`+meta+`,"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, data8), `tensor "b": data_offsets [4, 8] begin at 4, want 8`},
		{"out of order", craft(`{`+meta+`,"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, data8), `tensor "b": data_offsets [4, 8] begin at 4, want 0`},
		{"end before begin", craft(`{`+meta+`,"a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"c":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}`, data8), `tensor "c": data_offsets [4, 0] end before they begin`},
		{"shape product", craft(`{`+meta+`,"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}`, data8), `tensor "a": shape [3] needs 12 bytes, data_offsets [0, 8] give 8`},
		{"negative dimension", craft(`{`+meta+`,"a":{"dtype":"F32","shape":[-2,-1],"data_offsets":[0,8]}}`, data8), `tensor "a": negative dimension -2`},
		{"huge shape", craft(`{`+meta+`,"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}}`, data8), `tensor "a": shape [4294967296 4294967296] has too many elements`},
		{"dtype", craft(`{`+meta+`,"a":{"dtype":"F16","shape":[4],"data_offsets":[0,8]}}`, data8), `tensor "a": dtype "F16", want F32`},
		{"no dtype", craft(`{`+meta+`,"a":{"shape":[2],"data_offsets":[0,8]}}`, data8), `tensor "a": no dtype`},
		{"null shape", craft(`{`+meta+`,"a":{"dtype":"F32","shape":null,"data_offsets":[0,8]}}`, data8), `tensor "a": no shape`},
		{"no offsets", craft(`{`+meta+`,"a":{"dtype":"F32","shape":[2]}}`, data8), `tensor "a": no data_offsets`},
		{"unknown field", craft(`{`+meta+`,"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"x":1}}`, data8), `tensor "a": json: unknown field "x"`},
		{"duplicate tensor", craft(`{`+meta+`,"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, data8), `tensor "a" appears twice`},
		{"empty name", craft(`{`+meta+`,"":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}`, data8[:4]), `tensor with an empty name`},
		{"duplicate metadata", craft(`{`+meta+`,`+meta+`}`, nil), `"__metadata__" appears twice`},
		{"metadata not strings", craft(`{"__metadata__":{"goglove.data_sha256":"SUM","n":1}}`, nil), `__metadata__: json: cannot unmarshal number`},
		{"no checksum", craft(`{"__metadata__":{"k":"v"}}`, nil), `metadata has no goglove.data_sha256`},
		{"no metadata", craft(`{}`, nil), `metadata has no goglove.data_sha256`},
		{"wrong checksum", craft(`{"__metadata__":{"goglove.data_sha256":"00"},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, data8[:4]), `checksum mismatch`},
		{"data shorter than offsets", craft(`{`+meta+`,"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}`, data8), `tensor "a": data truncated at byte 8 of the data section, want 16`},
		{"huge claimed data", craft(`{`+meta+`,"a":{"dtype":"F32","shape":[1000000000000],"data_offsets":[0,4000000000000]}}`, data8), `tensor "a": data truncated at byte 8`},
		{"trailing data", craft(`{`+meta+`,"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, data8), `trailing bytes after the data section of 4 bytes`},
		{"not an object", craft(`[1]`, nil), `header does not start with '{'`},
		{"leading space", craft(` {}`, nil), `header does not start with '{'`},
		{"empty header", craft(``, nil), `header does not start with '{'`},
		{"bad JSON", craft(`{"a" 1}`, nil), `tensor "a": expected colon after object key`},
		{"unterminated", craft(`{`+meta, nil), `checkpoint: header: EOF`},
		{"garbage after object", craft(`{`+meta+`}x`, nil), `unexpected 'x' after the JSON object`},
		{"invalid UTF-8", craft("{\"\xff\":{}}", nil), `header is not valid UTF-8`},
		{"header too large", binary.LittleEndian.AppendUint64(nil, MaxHeaderSize+1), `header size 100000001 exceeds 100000000`},
		{"header truncated", craft(`{}`, nil)[:9], `header of 2 bytes truncated at 1`},
		{"no size", []byte{1, 2, 3}, `reading the header size: unexpected EOF`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(bytes.NewReader(tc.file))
			if _, serr := Read(struct{ io.Reader }{bytes.NewReader(tc.file)}); (serr == nil) != (err == nil) ||
				(err != nil && serr.Error() != err.Error()) {
				t.Fatalf("streamed, the error is %v; sized, %v", serr, err)
			}
			switch {
			case tc.wants == "" && err != nil:
				t.Fatalf("valid file: %v", err)
			case tc.wants == "":
			case err == nil:
				t.Fatalf("read without error, want one containing %q", tc.wants)
			case !strings.HasPrefix(err.Error(), "checkpoint: ") || !strings.Contains(err.Error(), tc.wants):
				t.Fatalf("error %q, want one containing %q", err, tc.wants)
			case strings.Contains(err.Error(), "\n"):
				t.Fatalf("error %q spans lines", err)
			}
		})
	}
}
