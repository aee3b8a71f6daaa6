//go:build !purego

package kernels

import "golang.org/x/sys/cpu"

// vnniQPath: 6×64 micro-tiles (four zmm across), VPDPBUSD with the
// activations broadcast from memory, and 6×16 ones for a last panel of at
// most 16 columns; int8 codes stored as w+128. Its row
// kernels run 16 lanes a step with a masked tail.
var vnniQPath = &qpath{
	name: "avx512vnni", nr: 64, vbytes: 64, s8Offset: 128,
	s8: newQBlocking(64, 16,
		[]qKernel{qgemmVNNI_s8_1, qgemmVNNI_s8_2, qgemmVNNI_s8_3, qgemmVNNI_s8_4, qgemmVNNI_s8_5, qgemmVNNI_s8_6},
		[]qKernel{qgemmVNNI_s8n_1, qgemmVNNI_s8n_2, qgemmVNNI_s8n_3, qgemmVNNI_s8n_4, qgemmVNNI_s8n_5, qgemmVNNI_s8n_6}),
	t2: newQBlocking(64, 16,
		[]qKernel{qgemmVNNI_t2_1, qgemmVNNI_t2_2, qgemmVNNI_t2_3, qgemmVNNI_t2_4, qgemmVNNI_t2_5, qgemmVNNI_t2_6},
		[]qKernel{qgemmVNNI_t2n_1, qgemmVNNI_t2n_2, qgemmVNNI_t2n_3, qgemmVNNI_t2n_4, qgemmVNNI_t2n_5, qgemmVNNI_t2n_6}),
	narrow: 16,
	row: qrowOps{
		rowSum: func(x []int8) int32 { return rowSumAsm(rowSum512, x, 64) },
		absMax: func(x []float32) float32 {
			if len(x) == 0 {
				return 0
			}
			return absMax512(&x[0], len(x))
		},
		quantRow: func(q []int8, x []float32, inv float32) { quantRow512(&q[0], &x[0], len(x), inv) },
		dequantRow: func(y []float32, acc []int32, scale, bias []float32, s float32) {
			dequantRow512(&y[0], &acc[0], &scale[0], &bias[0], len(acc), s)
		},
	},
}

// avx2QPath: 4×16 micro-tiles (two ymm across), VPMADDUBSW and VPMADDWD;
// int8 codes stored as they are (the sign trick), ternary as w+1. Its row
// quantizers are the portable ones.
var avx2QPath = &qpath{
	name: "avx2", nr: 16, vbytes: 32, s8Offset: 0,
	s8: newQBlocking(16, 0, []qKernel{qgemmAVX2_s8sign_1, qgemmAVX2_s8sign_2, qgemmAVX2_s8sign_3, qgemmAVX2_s8sign_4}, nil),
	t2: newQBlocking(16, 0, []qKernel{qgemmAVX2_t2_1, qgemmAVX2_t2_2, qgemmAVX2_t2_3, qgemmAVX2_t2_4}, nil),
	row: qrowOps{
		rowSum:     func(x []int8) int32 { return rowSumAsm(rowSum256, x, 32) },
		absMax:     absMaxGo,
		quantRow:   quantRowGo,
		dequantRow: dequantRowGo,
	},
}

// rowSumAsm sums x with an assembly kernel over the multiples of step and
// Go over the rest.
func rowSumAsm(kernel func(x *int8, n int) int32, x []int8, step int) int32 {
	n := len(x) &^ (step - 1)
	var s int32
	if n > 0 {
		s = kernel(&x[0], n)
	}
	return s + rowSumS8(x[n:])
}

// archQPaths returns the integer assembly paths this CPU supports, fastest
// first.
func archQPaths() []*qpath {
	var out []*qpath
	if cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VL && cpu.X86.HasAVX512VNNI {
		out = append(out, vnniQPath)
	}
	if cpu.X86.HasAVX2 {
		out = append(out, avx2QPath)
	}
	return out
}
