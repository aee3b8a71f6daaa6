//go:build ignore

package main

import "fmt"

// isa describes one instruction set as the GEMM generators use it: its
// register file, vector width, the instructions the kernels are made of
// and how edges are masked. Every float32 micro-kernel (gen_gemm.go) and
// every integer micro-kernel (gen_qgemm.go) of the set is printed from its
// description; adding an instruction set means adding one of these.
type isa struct {
	// fname and qname name the set in the float32 kernels
	// (gemmKernel<fname>…) and the integer ones (qgemm<qname>_…).
	fname, qname string

	// Register file: prefix ("Z", "Y") and count of vector registers, and
	// the bytes of one.
	reg    string
	nregs  int
	vbytes int
	// masked: k-register masks. The float32 kernels load B and load and
	// store C under column masks (K1, K2) and store only the rows asked
	// for; otherwise they store whole tiles and the driver sends edge
	// tiles through a scratch tile.
	masked bool

	// Instructions: zeroing of a float32 and of an int32 accumulator, the
	// integer vector load and store, the integer and, and the broadcast
	// of one lane of packed ternary codes (lane bytes: vbytes/4 of codes
	// expand to a vector, see gen_qgemm.go).
	zeroF, zeroI, movI, andI, laneBcast string

	// The float32 micro-tile: fRows rows of fNV vectors; a packed A panel
	// has fRows rows, and kernels of fewer rows (for the last rows of C)
	// read the same panels. fUnroll is the k steps per loop pass of the
	// packed kernels; prefetch fetches B eight rows ahead.
	fRows, fNV, fUnroll int
	prefetch            bool

	// The integer micro-tile: qRows rows of qNV vectors. vnni: the dot
	// step is VPDPBUSD (four u8·s8 products into an int32 lane);
	// otherwise VPMADDUBSW (pairs into int16), VPMADDWD by ones (into
	// int32) and VPADDD.
	qRows, qNV int
	vnni       bool
}

// avx512 is AVX-512 F/BW/DQ/VL, with VNNI for the integer kernels.
var avx512 = isa{
	fname: "512", qname: "VNNI",
	reg: "Z", nregs: 32, vbytes: 64, masked: true,
	zeroF: "VPXORD", zeroI: "VPXORD", movI: "VMOVDQU32", andI: "VPANDD", laneBcast: "VBROADCASTI32X4",
	fRows: 14, fNV: 2, fUnroll: 2, prefetch: true,
	qRows: 6, qNV: 4, vnni: true,
}

// avx2 is AVX2 with FMA.
var avx2 = isa{
	fname: "256", qname: "AVX2",
	reg: "Y", nregs: 16, vbytes: 32,
	zeroF: "VXORPS", zeroI: "VPXOR", movI: "VMOVDQU", andI: "VPAND", laneBcast: "VPBROADCASTQ",
	fRows: 6, fNV: 2, fUnroll: 1,
	qRows: 4, qNV: 2,
}

// v names vector register i.
func (s isa) v(i int) string { return fmt.Sprintf("%s%d", s.reg, i) }

// top names the i-th register from the top of the file (top(1) is the
// last): the float32 kernels keep B and the broadcasts of A there.
func (s isa) top(i int) string { return s.v(s.nregs - i) }

// zero prints the zeroing of vector register r by op.
func zero(op, r string) { p("%s %s, %s, %s", op, r, r, r) }

// loadF prints a float32 load of addr into r, under K<k> when the set
// masks (zeroing the lanes outside the mask).
func (s isa) loadF(addr string, k int, r string) {
	if s.masked {
		p("VMOVUPS.Z %s, K%d, %s", addr, k, r)
		return
	}
	p("VMOVUPS %s, %s", addr, r)
}

// storeF prints a float32 store of r to addr, under K<k> when the set
// masks.
func (s isa) storeF(r string, k int, addr string) {
	if s.masked {
		p("VMOVUPS %s, K%d, %s", r, k, addr)
		return
	}
	p("VMOVUPS %s, %s", r, addr)
}

// off is the byte offset of vector i as an address prefix ("" for 0).
func (s isa) off(i int) string {
	if i == 0 {
		return ""
	}
	return fmt.Sprint(i * s.vbytes)
}
