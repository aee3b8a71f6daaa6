//go:build ignore

package main

import "fmt"

// The float32 GEMM micro-kernels, one printer for every instruction set
// (see isa), with the frame of tileKernel (blocking.go):
//
//	func k(kc int, a *float32, rsA, csA int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, mr int, mask uint32, rs *int32)
const frame = "$0-96"

// fp32Kernels prints the float32 kernels of s and declares them: the full
// tile over a packed A (P) and over an A read in place (S); on sets that
// mask, the one-vector (16-column) variants of both (suffix 1) and the 8-
// and 4-row kernels over the same packed panels, in both widths (8, 4,
// 18, 14), and over an A in place (S8, S4, S18, S14).
func fp32Kernels(s isa) {
	name := "gemmKernel" + s.fname
	fp32Kernel(s, name+"P", s.fRows, s.fNV, false)
	fp32Kernel(s, name+"S", s.fRows, s.fNV, true)
	if !s.masked {
		return
	}
	fp32Kernel(s, name+"P1", s.fRows, 1, false)
	fp32Kernel(s, name+"S1", s.fRows, 1, true)
	fp32Kernel(s, name+"P8", 8, s.fNV, false)
	fp32Kernel(s, name+"P4", 4, s.fNV, false)
	fp32Kernel(s, name+"P18", 8, 1, false)
	fp32Kernel(s, name+"P14", 4, 1, false)
	// Strided kernels of exactly 8 and 4 rows: a last row block of that
	// many rows is read in place instead of packed (32 = 14+14+4).
	fp32Kernel(s, name+"S8", 8, s.fNV, true)
	fp32Kernel(s, name+"S4", 4, s.fNV, true)
	fp32Kernel(s, name+"S18", 8, 1, true)
	fp32Kernel(s, name+"S14", 4, 1, true)
}

// aRegs are the pointers into A for the strided kernels: rows 3q, 3q+1 and
// 3q+2 are at (P), (P)(L*1), (P)(L*2) with L = rsA in R10.
var aRegs = []string{"AX", "SI", "DI", "R8", "R9"}

// aAddr is the address of row r of A at k step step: strided, from the row
// pointers; packed, in a panel of s.fRows rows.
func (s isa) aAddr(strided bool, r, step int) string {
	if strided {
		base := aRegs[r/3]
		switch r % 3 {
		case 0:
			return fmt.Sprintf("(%s)", base)
		case 1:
			return fmt.Sprintf("(%s)(R10*1)", base)
		default:
			return fmt.Sprintf("(%s)(R10*2)", base)
		}
	}
	return fmt.Sprintf("%d(AX)", 4*(step*s.fRows+r))
}

// fp32Kernel prints an mr×(nv vectors) kernel of s: C[0:mr', cols] =
// alpha·A·B + beta·C. Registers: accumulators from 0 (row-major), the
// vectors of a row of B in top(4) and top(3), the broadcasts of A in
// top(2) and top(1), which hold alpha and beta at the store. On a masked
// set the column mask is in K1 (K2) and only mr' = mr rows are stored;
// otherwise the whole tile is.
func fp32Kernel(s isa, name string, mr, nv int, strided bool) {
	sig := fmt.Sprintf("%s(kc int, a *float32, rsA, csA int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, mr int, mask uint32, rs *int32)", name)
	declare(sig)
	fmt.Fprintf(&out, "// func %s\n", sig)
	fmt.Fprintf(&out, "TEXT ·%s(SB), NOSPLIT, %s\n", name, frame)
	acc := func(r, v int) string { return s.v(r*nv + v) }
	bReg := func(v int) string { return s.top(4 - v) }
	if s.masked {
		p("MOVL mask+80(FP), DX")
		p("KMOVW DX, K1")
		if nv == 2 {
			p("SHRL $16, DX")
			p("KMOVW DX, K2")
		}
	}
	for r := 0; r < mr; r++ {
		for v := 0; v < nv; v++ {
			zero(s.zeroF, acc(r, v))
		}
	}
	p("MOVQ kc+0(FP), CX")
	p("MOVQ a+8(FP), AX")
	p("MOVQ b+32(FP), BX")
	p("MOVQ ldb+40(FP), DX")
	p("SHLQ $2, DX")
	if strided {
		p("MOVQ rsA+16(FP), R10")
		p("SHLQ $2, R10")
		p("MOVQ csA+24(FP), R11")
		p("SHLQ $2, R11")
		p("LEAQ (R10)(R10*2), R12")
		for i := 1; i < len(aRegs) && 3*i < mr; i++ {
			p("LEAQ (%s)(R12*1), %s", aRegs[i-1], aRegs[i])
		}
	}
	if s.prefetch {
		// Prefetch B eight rows ahead: the B panel streams from L2.
		p("LEAQ (BX)(DX*8), R13")
	}
	p("TESTQ CX, CX")
	p("JEQ %s_store", name)
	unroll := s.fUnroll
	if strided {
		unroll = 1
	}
	if unroll == 2 {
		p("CMPQ CX, $2")
		p("JLT %s_tail", name)
		label(name + "_loop2")
	} else {
		label(name + "_loop")
	}
	body := func(step int) {
		bAddr := "(BX)"
		if step == 1 {
			bAddr = "(BX)(DX*1)"
		}
		if s.prefetch {
			pre := "(R13)"
			if step == 1 {
				pre = "(R13)(DX*1)"
			}
			p("PREFETCHT0 %s", pre)
			if nv == 2 {
				p("PREFETCHT0 64%s", pre)
			}
		}
		for v := 0; v < nv; v++ {
			s.loadF(s.off(v)+bAddr, v+1, bReg(v))
		}
		for r := 0; r < mr; r++ {
			br := s.top(2 - r%2)
			p("VBROADCASTSS %s, %s", s.aAddr(strided, r, step), br)
			for v := 0; v < nv; v++ {
				p("VFMADD231PS %s, %s, %s", br, bReg(v), acc(r, v))
			}
		}
	}
	if unroll == 2 {
		body(0)
		body(1)
		p("ADDQ $%d, AX", 4*2*s.fRows)
		p("LEAQ (BX)(DX*2), BX")
		if s.prefetch {
			p("LEAQ (R13)(DX*2), R13")
		}
		p("SUBQ $2, CX")
		p("CMPQ CX, $2")
		p("JGE %s_loop2", name)
		label(name + "_tail")
		p("TESTQ CX, CX")
		p("JEQ %s_store", name)
		body(0)
	} else {
		body(0)
		if strided {
			for i := 0; i < len(aRegs) && 3*i < mr; i++ {
				p("ADDQ R11, %s", aRegs[i])
			}
		} else {
			p("ADDQ $%d, AX", 4*s.fRows)
		}
		p("ADDQ DX, BX")
		if s.prefetch {
			p("ADDQ DX, R13")
		}
		p("DECQ CX")
		p("JNZ %s_loop", name)
	}
	label(name + "_store")
	p("MOVQ c+48(FP), R12")
	p("MOVQ ldc+56(FP), R13")
	p("SHLQ $2, R13")
	if s.masked {
		p("MOVQ mr+72(FP), AX")
	}
	alpha, beta, tmp := s.top(2), s.top(1), s.top(4)
	p("VBROADCASTSS alpha+64(FP), %s", alpha)
	p("VBROADCASTSS beta+68(FP), %s", beta)
	p("MOVL beta+68(FP), BX")
	p("ANDL $0x7fffffff, BX")
	p("JEQ %s_beta0", name)
	// nextRow moves R12 to the next row of C; on a masked set it stops
	// after mr' rows.
	nextRow := func(r int) {
		if !s.masked {
			p("ADDQ R13, R12")
			return
		}
		if r < mr-1 {
			p("CMPQ AX, $%d", r+1)
			p("JLE %s_done", name)
			p("ADDQ R13, R12")
		}
	}
	for r := 0; r < mr; r++ {
		for v := 0; v < nv; v++ {
			s.loadF(s.off(v)+"(R12)", v+1, tmp)
			p("VMULPS %s, %s, %s", alpha, acc(r, v), acc(r, v))
			p("VFMADD231PS %s, %s, %s", beta, tmp, acc(r, v))
			s.storeF(acc(r, v), v+1, s.off(v)+"(R12)")
		}
		nextRow(r)
	}
	p("VZEROUPPER")
	p("RET")
	label(name + "_beta0")
	for r := 0; r < mr; r++ {
		for v := 0; v < nv; v++ {
			p("VMULPS %s, %s, %s", alpha, acc(r, v), acc(r, v))
			s.storeF(acc(r, v), v+1, s.off(v)+"(R12)")
		}
		nextRow(r)
	}
	if s.masked {
		label(name + "_done")
	}
	p("VZEROUPPER")
	p("RET")
	out.WriteString("\n")
}

// fmaPeak prints a loop of n·24 independent zmm FMAs: the benchmarks'
// yardstick for the machine's (and the moment's) peak.
func fmaPeak() {
	out.WriteString("// func fmaPeak512(n int)\n")
	out.WriteString("TEXT ·fmaPeak512(SB), NOSPLIT, $0-8\n")
	p("MOVQ n+0(FP), CX")
	for r := 0; r < 24; r++ {
		p("VPXORD Z%d, Z%d, Z%d", r, r, r)
	}
	label("fmaPeak512_loop")
	for r := 0; r < 24; r++ {
		p("VFMADD231PS Z30, Z31, Z%d", r)
	}
	p("DECQ CX")
	p("JNZ fmaPeak512_loop")
	p("VZEROUPPER")
	p("RET")
}

// packTranspose prints packT16: the transposing copy behind the packing of
// an untransposed A (14-row micro-panels) and of a transposed B (32-column
// panels, in two halves of 16). It loads 16 columns of up to 16 rows,
// transposes the 16×16 block in registers (unpack 32-bit and 64-bit pairs,
// then two rounds of 128-bit lane shuffles) and stores the 16 transposed
// rows under storeMask.
func packTranspose() {
	const name = "packT16"
	out.WriteString("// func packT16(dst, src *float32, ld, kc, rows, dstStride int, storeMask uint32)\n")
	out.WriteString("// dst[p·dstStride+r] = src[r·ld+p] for r < rows (0 for rows ≤ r < 16), p < kc.\n")
	fmt.Fprintf(&out, "TEXT ·%s(SB), NOSPLIT, $0-52\n", name)
	p("MOVQ dst+0(FP), R9")
	p("MOVQ src+8(FP), SI")
	p("MOVQ ld+16(FP), AX")
	p("SHLQ $2, AX")
	p("MOVQ kc+24(FP), CX")
	p("MOVQ rows+32(FP), DX")
	p("MOVQ dstStride+40(FP), R8")
	p("SHLQ $2, R8")
	p("MOVL storeMask+48(FP), BX")
	p("KMOVW BX, K3")
	p("TESTQ CX, CX")
	p("JLE %s_done", name)
	label(name + "_block")
	p("MOVL $0xffff, R11")
	p("CMPQ CX, $16")
	p("JGE %s_full", name)
	p("MOVL $1, R11")
	p("SHLL CX, R11")
	p("DECL R11")
	label(name + "_full")
	p("KMOVW R11, K1")
	p("MOVQ SI, R10")
	for r := 0; r < 16; r++ {
		p("CMPQ DX, $%d", r)
		p("JLE %s_zero%d", name, r)
		p("VMOVUPS.Z (R10), K1, Z%d", r)
		if r < 15 {
			p("ADDQ AX, R10")
		}
	}
	p("JMP %s_loaded", name)
	for r := 0; r < 16; r++ {
		label(fmt.Sprintf("%s_zero%d", name, r))
		p("VPXORD Z%d, Z%d, Z%d", r, r, r)
	}
	label(name + "_loaded")
	// t (Z16..Z31): 32-bit interleaves of row pairs.
	for i := 0; i < 8; i++ {
		p("VUNPCKLPS Z%d, Z%d, Z%d", 2*i+1, 2*i, 16+2*i)
		p("VUNPCKHPS Z%d, Z%d, Z%d", 2*i+1, 2*i, 16+2*i+1)
	}
	// u (Z0..Z15): u[4i+j] lane L = rows 4i..4i+3 of column 4L+j.
	for i := 0; i < 4; i++ {
		t := 16 + 4*i
		p("VUNPCKLPD Z%d, Z%d, Z%d", t+2, t, 4*i+0)
		p("VUNPCKHPD Z%d, Z%d, Z%d", t+2, t, 4*i+1)
		p("VUNPCKLPD Z%d, Z%d, Z%d", t+3, t+1, 4*i+2)
		p("VUNPCKHPD Z%d, Z%d, Z%d", t+3, t+1, 4*i+3)
	}
	// v (Z16..Z31), then the output rows c = 4L+j (Z0..Z15).
	for j := 0; j < 4; j++ {
		v := 16 + 4*j
		p("VSHUFF32X4 $0x44, Z%d, Z%d, Z%d", 4+j, j, v)
		p("VSHUFF32X4 $0xEE, Z%d, Z%d, Z%d", 4+j, j, v+1)
		p("VSHUFF32X4 $0x44, Z%d, Z%d, Z%d", 12+j, 8+j, v+2)
		p("VSHUFF32X4 $0xEE, Z%d, Z%d, Z%d", 12+j, 8+j, v+3)
	}
	for j := 0; j < 4; j++ {
		v := 16 + 4*j
		p("VSHUFF32X4 $0x88, Z%d, Z%d, Z%d", v+2, v, j)
		p("VSHUFF32X4 $0xDD, Z%d, Z%d, Z%d", v+2, v, 4+j)
		p("VSHUFF32X4 $0x88, Z%d, Z%d, Z%d", v+3, v+1, 8+j)
		p("VSHUFF32X4 $0xDD, Z%d, Z%d, Z%d", v+3, v+1, 12+j)
	}
	for c := 0; c < 16; c++ {
		p("CMPQ CX, $%d", c)
		p("JLE %s_done", name)
		p("VMOVUPS Z%d, K3, (R9)", c)
		p("ADDQ R8, R9")
	}
	p("ADDQ $64, SI")
	p("SUBQ $16, CX")
	p("JG %s_block", name)
	label(name + "_done")
	p("VZEROUPPER")
	p("RET")
}

// packTranspose8 prints packT8, the AVX2 counterpart of packT16 for the
// 16-column B panels of the AVX2 GEMM (two halves of 8): 8×8 transposes by
// 32- and 64-bit unpacks and a 128-bit lane permute, the loads of a partial
// last block under a VMASKMOVPS lane mask.
func packTranspose8() {
	const name = "packT8"
	out.WriteString("\n// 0, 1, …, 7 as int32: lane numbers for the tail masks.\n")
	for i := 0; i < 8; i++ {
		fmt.Fprintf(&out, "DATA lanes8<>+%d(SB)/4, $%d\n", 4*i, i)
	}
	out.WriteString("GLOBL lanes8<>(SB), RODATA|NOPTR, $32\n\n")
	out.WriteString("// func packT8(dst, src *float32, ld, kc, rows, dstStride int)\n")
	out.WriteString("// dst[p·dstStride+r] = src[r·ld+p] for r < rows (0 for rows ≤ r < 8), p < kc.\n")
	fmt.Fprintf(&out, "TEXT ·%s(SB), NOSPLIT, $0-48\n", name)
	p("MOVQ dst+0(FP), R9")
	p("MOVQ src+8(FP), SI")
	p("MOVQ ld+16(FP), AX")
	p("SHLQ $2, AX")
	p("MOVQ kc+24(FP), CX")
	p("MOVQ rows+32(FP), DX")
	p("MOVQ dstStride+40(FP), R8")
	p("SHLQ $2, R8")
	p("TESTQ CX, CX")
	p("JLE %s_done", name)
	label(name + "_block")
	// Y15 = lanes below min(CX, 8).
	p("VPCMPEQD Y15, Y15, Y15")
	p("CMPQ CX, $8")
	p("JGE %s_full", name)
	p("VMOVD CX, X14")
	p("VPBROADCASTD X14, Y14")
	p("VMOVDQU lanes8<>(SB), Y13")
	p("VPCMPGTD Y13, Y14, Y15")
	label(name + "_full")
	p("MOVQ SI, R10")
	for r := 0; r < 8; r++ {
		p("CMPQ DX, $%d", r)
		p("JLE %s_zero%d", name, r)
		p("VMASKMOVPS (R10), Y15, Y%d", r)
		if r < 7 {
			p("ADDQ AX, R10")
		}
	}
	p("JMP %s_loaded", name)
	for r := 0; r < 8; r++ {
		label(fmt.Sprintf("%s_zero%d", name, r))
		p("VXORPS Y%d, Y%d, Y%d", r, r, r)
	}
	label(name + "_loaded")
	for i := 0; i < 4; i++ {
		p("VUNPCKLPS Y%d, Y%d, Y%d", 2*i+1, 2*i, 8+2*i)
		p("VUNPCKHPS Y%d, Y%d, Y%d", 2*i+1, 2*i, 8+2*i+1)
	}
	for i := 0; i < 2; i++ {
		t := 8 + 4*i
		p("VUNPCKLPD Y%d, Y%d, Y%d", t+2, t, 4*i+0)
		p("VUNPCKHPD Y%d, Y%d, Y%d", t+2, t, 4*i+1)
		p("VUNPCKLPD Y%d, Y%d, Y%d", t+3, t+1, 4*i+2)
		p("VUNPCKHPD Y%d, Y%d, Y%d", t+3, t+1, 4*i+3)
	}
	for j := 0; j < 4; j++ {
		p("VPERM2F128 $0x20, Y%d, Y%d, Y%d", 4+j, j, 8+j)
		p("VPERM2F128 $0x31, Y%d, Y%d, Y%d", 4+j, j, 12+j)
	}
	for c := 0; c < 8; c++ {
		p("CMPQ CX, $%d", c)
		p("JLE %s_done", name)
		p("VMOVUPS Y%d, (R9)", 8+c)
		p("ADDQ R8, R9")
	}
	p("ADDQ $32, SI")
	p("SUBQ $8, CX")
	p("JG %s_block", name)
	label(name + "_done")
	p("VZEROUPPER")
	p("RET")
}
