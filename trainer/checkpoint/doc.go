// Package checkpoint saves and loads trained models as safetensors files.
//
// A Checkpoint is an ordered list of named Tensors (a parameter name
// such as "layers[0].w", a shape, the row-major values: float32, or bytes
// for the packed codes of quantized weights) and string Metadata. The file format is safetensors, readable by any safetensors
// reader:
//
//	8 bytes   N, the header size, unsigned little-endian
//	N bytes   a UTF-8 JSON object, padded with spaces to a multiple of 8:
//	          {"__metadata__": {"key": "value", ...},
//	           "layers[0].w": {"dtype": "F32", "shape": [784, 512],
//	                           "data_offsets": [0, 1605632]}, ...}
//	the rest  the data section: each tensor's values as little-endian
//	          IEEE 754 float32 (dtype F32) or as bytes (U8, I8: one byte a
//	          value, I8 in two's complement), laid out contiguously in
//	          header order
//
// data_offsets are [begin, end) byte offsets relative to the start of the
// data section. The dtypes F32, U8 and I8 are written and accepted; an F32
// tensor's values are in Tensor.Data, the others' in Tensor.Bytes.
//
// Metadata is the safetensors "__metadata__" object, string to string.
// goglove uses these keys (constants of this package):
//
//	goglove.program      the program's canonical YAML (KeyProgram)
//	goglove.metrics      the metrics, as a JSON object (KeyMetrics)
//	goglove.version      the goglove version that wrote the file (KeyVersion)
//	goglove.data_sha256  the lower-case hex SHA-256 of the data section
//	                     (KeyChecksum), set by Write, verified and removed by Read
//
// Write fills KeyChecksum itself; a caller may not set it. Read validates
// everything before trusting it: the header size (at most MaxHeaderSize),
// UTF-8, the JSON syntax with no duplicate or unknown keys, the dtype (F32,
// U8 or I8), the shape (non-negative dimensions whose product times the
// element size, 4 or 1, is the tensor's byte length), the offsets (the tensors tile the data section in header order:
// the first begins at 0, each begins where the previous one ends — no gap,
// overlap or reordering), the total size (the input ends exactly where the
// last tensor does) and the checksum. Files written by the reference
// implementation list tensors in layout order and so satisfy the offset
// rule; a file without KeyChecksum is rejected, since its corruption could
// not be detected. Errors are one line, prefixed "checkpoint: ", and name
// the tensor concerned.
//
// Read streams the data section through a fixed buffer, so a header that
// claims more data than the input holds costs no more memory than the
// input: a tensor is allocated at once when the input's size is known
// (ReadFile, or a reader with a Len method such as *bytes.Reader) and
// covers it, and otherwise grows as its data arrives. WriteFile is atomic: it
// writes a temporary file in the target's directory and renames it.
//
// Files: checkpoint.go (Tensor, Checkpoint, the metadata keys),
// write.go (Write, WriteFile), read.go (Read, ReadFile).
//
// The package depends only on the standard library, not on trainer's
// types; callers convert their parameters to Tensors.
package checkpoint
