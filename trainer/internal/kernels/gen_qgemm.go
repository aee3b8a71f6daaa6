//go:build ignore

// The integer micro-kernels of GemmS8S8 and GemmTernaryS8 (see qgemm.go and
// doc.go for the layouts and the arithmetic), printed for every
// instruction set from its description (gen_isa.go) and a weight kind (how
// a quad of weights is loaded), and the row kernels of the quantizers.
//
// The kernels have tileKernel's frame (blocking.go); they read k (quads),
// a, rsA (lda), b (the weight panel), c, ldc and rs, and compute, for rows
// r < R and the panel's columns j < NR,
// C[r][j] = Σ_q dot4(A[r][4q:4q+4], W[q][j]) − rs[r] over k quads.
package main

import "fmt"

// kind is how a k-quad of weights is stored: "s8" bytes as they are
// multiplied (one vector of bytes), "t2" ternary codes u = w+1 two bits
// each (a quarter vector, expanded by a broadcast and a mask), "s8sign"
// bytes multiplied by the sign trick of the AVX2 int8 kernel.
type kind string

// qaAddr is the address of the four bytes of row r of A at the current quad:
// rows 0-3 from AX with R10 = lda and R11 = 3·lda, rows 4-5 from BX =
// AX+4·lda.
func qaAddr(r int) string {
	return []string{"(AX)", "(AX)(R10*1)", "(AX)(R10*2)", "(AX)(R11*1)", "(BX)", "(BX)(R10*1)"}[r]
}

// qcAddr is the address of vector v of row r of C: rows from DI with R8 =
// ldc·4 and R9 = 3·ldc·4, rows 4-5 from R12 = DI+4·ldc·4.
func qcAddr(r, v, vbytes int) string {
	base := []string{"(DI)", "(DI)(R8*1)", "(DI)(R8*2)", "(DI)(R9*1)", "(R12)", "(R12)(R8*1)"}[r]
	if v == 0 {
		return base
	}
	return fmt.Sprintf("%d%s", v*vbytes, base)
}

// qKernel prints the R-row kernel of kind k for s with nv vectors across
// its panel; suffix names a narrow variant.
func qKernel(s isa, k kind, R, nv int, suffix string) {
	name := fmt.Sprintf("qgemm%s_%s%s_%d", s.qname, k, suffix, R)
	sig := fmt.Sprintf("%s(k int, a *int8, rsA, csA int, b *byte, ldb int, c *int32, ldc int, alpha, beta float32, mr int, mask uint32, rs *int32)", name)
	declare(sig)
	fmt.Fprintf(&out, "// func %s\n", sig)
	fmt.Fprintf(&out, "TEXT ·%s(SB), NOSPLIT, %s\n", name, frame)
	acc := func(r, v int) string { return s.v(r*nv + v) }
	// Register roles. AVX-512: Z0-Z23 accumulators, Z24-Z27 weights,
	// Z29 shifts, Z30 the 2-bit mask. AVX2: Y0-Y7 accumulators, Y8 the
	// int16 ones, Y9 a broadcast row of A, Y10 a product, Y11 the 2-bit
	// mask, Y12-Y13 weights, Y14-Y15 their magnitudes (s8sign) or Y15
	// the shifts (t2).
	wreg := func(v int) string {
		if s.vnni {
			return s.v(24 + v)
		}
		return s.v(12 + v)
	}
	// The 2-bit mask and the shifts of the ternary kernels.
	mask, shift := s.v(30), s.v(29)
	if !s.vnni {
		mask, shift = s.v(11), s.v(15)
	}
	for r := 0; r < R; r++ {
		for v := 0; v < nv; v++ {
			zero(s.zeroI, acc(r, v))
		}
	}
	p("MOVQ k+0(FP), CX")
	p("MOVQ a+8(FP), AX")
	p("MOVQ rsA+16(FP), R10")
	p("MOVQ b+32(FP), DX")
	p("LEAQ (R10)(R10*2), R11")
	p("LEAQ (AX)(R10*4), BX")
	if k == "t2" {
		p("%s qgemmMask%s<>(SB), %s", s.movI, s.fname, mask)
		p("%s qgemmShift%s<>(SB), %s", s.movI, s.fname, shift)
	}
	if !s.vnni {
		p("MOVL $0x00010001, R13")
		p("VPBROADCASTD R13, Y8")
	}
	// One row has two sets of accumulators, for even and odd quads, so
	// that the dot products of a GEMV do not wait on each other's
	// latency; they are added before the store.
	split := R == 1
	if split {
		for v := 0; v < nv; v++ {
			zero(s.zeroI, acc(1, v))
		}
	}
	step := nv * s.vbytes // bytes of weights per quad
	if k == "t2" {
		step = nv * s.vbytes / 4
	}
	// quad prints the products of the quad at byte offset off of the
	// weights and aoff of the rows of A into the accumulators of set.
	quad := func(off, aoff, set int) {
		for v := 0; v < nv; v++ {
			switch k {
			case "t2":
				q := s.vbytes / 4
				// Lane L keeps bits 2L..2L+1 of each byte: u·4^L.
				p("%s %d(DX), %s", s.laneBcast, off+v*q, wreg(v))
				p("%s %s, %s, %s", s.andI, mask, wreg(v), wreg(v))
			default:
				p("%s %d(DX), %s", s.movI, off+v*s.vbytes, wreg(v))
				if k == "s8sign" {
					p("VPABSB %s, %s", wreg(v), s.v(14+v))
				}
			}
		}
		for r := 0; r < R; r++ {
			ar := set + r // the set of a split row is its second row's registers
			addr := qaAddr(r)
			if aoff != 0 {
				addr = fmt.Sprintf("%d%s", aoff, addr)
			}
			if s.vnni {
				// One load of the row's four bytes for all nv
				// products (an embedded broadcast would load them
				// nv times), into two registers in turn.
				t := []string{"Z28", "Z31"}[r%2]
				p("VPBROADCASTD %s, %s", addr, t)
				for v := 0; v < nv; v++ {
					p("VPDPBUSD %s, %s, %s", t, wreg(v), acc(ar, v))
				}
				continue
			}
			p("VPBROADCASTD %s, Y9", addr)
			for v := 0; v < nv; v++ {
				if k == "s8sign" {
					// |w| · (a·sign w): both factors at most 127 in
					// magnitude, so a pair sums to at most 32258.
					p("VPSIGNB %s, Y9, Y10", wreg(v))
					p("VPMADDUBSW Y10, %s, Y10", s.v(14+v))
				} else {
					// u·4^L ≤ 128 times |a| ≤ 127: a pair sums to at
					// most 32512.
					p("VPMADDUBSW Y9, %s, Y10", wreg(v))
				}
				p("VPMADDWD Y8, Y10, Y10")
				p("VPADDD Y10, %s, %s", acc(ar, v), acc(ar, v))
			}
		}
	}
	if split {
		label(name + "_loop2")
		p("CMPQ CX, $2")
		p("JLT %s_tail", name)
		quad(0, 0, 0)
		quad(step, 4, 1)
		p("ADDQ $8, AX")
		p("ADDQ $%d, DX", 2*step)
		p("SUBQ $2, CX")
		p("JMP %s_loop2", name)
		label(name + "_tail")
		p("TESTQ CX, CX")
		p("JEQ %s_sum", name)
		quad(0, 0, 0)
		label(name + "_sum")
		for v := 0; v < nv; v++ {
			p("VPADDD %s, %s, %s", acc(1, v), acc(0, v), acc(0, v))
		}
	} else {
		p("TESTQ CX, CX")
		p("JEQ %s_store", name)
		label(name + "_loop")
		quad(0, 0, 0)
		p("ADDQ $4, AX")
		p("ADDQ $4, BX")
		p("ADDQ $%d, DX", step)
		p("DECQ CX")
		p("JNZ %s_loop", name)
	}
	label(name + "_store")
	p("MOVQ c+48(FP), DI")
	p("MOVQ ldc+56(FP), R8")
	p("SHLQ $2, R8")
	p("LEAQ (R8)(R8*2), R9")
	p("LEAQ (DI)(R8*4), R12")
	p("MOVQ rs+88(FP), SI")
	tmp := s.v(28)
	if !s.vnni {
		tmp = "Y9"
	}
	for r := 0; r < R; r++ {
		p("VPBROADCASTD %d(SI), %s", 4*r, tmp)
		for v := 0; v < nv; v++ {
			if k == "t2" {
				// Lane L summed u·4^L·a: divide exactly by 4^L.
				p("VPSRAVD %s, %s, %s", shift, acc(r, v), acc(r, v))
			}
			p("VPSUBD %s, %s, %s", tmp, acc(r, v), acc(r, v))
			p("%s %s, %s", s.movI, acc(r, v), qcAddr(r, v, s.vbytes))
		}
	}
	p("VZEROUPPER")
	p("RET")
	out.WriteString("\n")
}

// shifts prints the constants of the ternary kernels. A block of codes is
// broadcast to every 128-bit (AVX-512) or 64-bit (AVX2) lane; lane L keeps
// bits 2L..2L+1 of each byte (qgemmMask512, qgemmMask256), which is the
// code times 4^L, and its int32 sums are shifted right by 2L bits at the
// end (qgemmShift512, qgemmShift256, per dword).
func shifts() {
	table("qgemmMask512", 16, func(i int) uint32 { return 0x03030303 << (2 * (i / 4)) })
	table("qgemmShift512", 16, func(i int) uint32 { return uint32(2 * (i / 4)) })
	table("qgemmMask256", 8, func(i int) uint32 { return 0x03030303 << (2 * (i / 2)) })
	table("qgemmShift256", 8, func(i int) uint32 { return uint32(2 * (i / 2)) })
}

// table prints a read-only table of n dwords f(0), …, f(n−1).
func table(name string, n int, f func(i int) uint32) {
	for i := 0; i < n; i++ {
		fmt.Fprintf(&out, "DATA %s<>+%d(SB)/4, $0x%08x\n", name, 4*i, f(i))
	}
	fmt.Fprintf(&out, "GLOBL %s<>(SB), RODATA|NOPTR, $%d\n\n", name, 4*n)
}

// tailMask sets K1 to the low CX bits (CX < 16), using AX.
func tailMask() {
	p("MOVL $1, AX")
	p("SHLL CX, AX")
	p("DECL AX")
	p("KMOVW AX, K1")
}

// rowKernels prints the AVX-512 row kernels around the integer GEMM:
// absMax512 (max |x|), quantRow512 (q = clip(round(x·inv), ±127), rounding
// to nearest even by VCVTPS2DQ under the default MXCSR) and dequantRow512
// (y = float32(acc)·(s·scale) + bias, a product and a sum as in Go).
func rowKernels() {
	declare("absMax512(x *float32, n int) float32")
	out.WriteString("// func absMax512(x *float32, n int) float32\nTEXT ·absMax512(SB), NOSPLIT, $0-20\n")
	p("MOVQ x+0(FP), SI")
	p("MOVQ n+8(FP), CX")
	p("VPXORD Z0, Z0, Z0")
	p("VPXORD Z1, Z1, Z1")
	p("MOVL $0x7fffffff, AX")
	p("VPBROADCASTD AX, Z2")
	label("absMax512_loop32")
	p("CMPQ CX, $32")
	p("JLT absMax512_tail16")
	p("VPANDD (SI), Z2, Z3")
	p("VMAXPS Z3, Z0, Z0")
	p("VPANDD 64(SI), Z2, Z4")
	p("VMAXPS Z4, Z1, Z1")
	p("ADDQ $128, SI")
	p("SUBQ $32, CX")
	p("JMP absMax512_loop32")
	label("absMax512_tail16")
	p("CMPQ CX, $16")
	p("JLT absMax512_tail")
	p("VPANDD (SI), Z2, Z3")
	p("VMAXPS Z3, Z0, Z0")
	p("ADDQ $64, SI")
	p("SUBQ $16, CX")
	label("absMax512_tail")
	p("TESTQ CX, CX")
	p("JEQ absMax512_reduce")
	tailMask()
	p("VMOVUPS.Z (SI), K1, Z3")
	p("VPANDD Z3, Z2, Z3")
	p("VMAXPS Z3, Z0, Z0")
	label("absMax512_reduce")
	p("VMAXPS Z1, Z0, Z0")
	p("VEXTRACTF32X8 $1, Z0, Y1")
	p("VMAXPS Y1, Y0, Y0")
	p("VEXTRACTF128 $1, Y0, X1")
	p("VMAXPS X1, X0, X0")
	p("VPERMILPS $0x4e, X0, X1")
	p("VMAXPS X1, X0, X0")
	p("VPERMILPS $0xb1, X0, X1")
	p("VMAXPS X1, X0, X0")
	p("VMOVSS X0, ret+16(FP)")
	p("VZEROUPPER")
	p("RET")
	out.WriteString("\n")

	declare("quantRow512(q *int8, x *float32, n int, inv float32)")
	out.WriteString("// func quantRow512(q *int8, x *float32, n int, inv float32)\nTEXT ·quantRow512(SB), NOSPLIT, $0-28\n")
	p("MOVQ q+0(FP), DI")
	p("MOVQ x+8(FP), SI")
	p("MOVQ n+16(FP), CX")
	p("VBROADCASTSS inv+24(FP), Z0")
	p("MOVL $-127, AX")
	p("VPBROADCASTD AX, Z1")
	p("MOVL $127, AX")
	p("VPBROADCASTD AX, Z2")
	quant := func() {
		p("VCVTPS2DQ Z3, Z3")
		p("VPMAXSD Z1, Z3, Z3")
		p("VPMINSD Z2, Z3, Z3")
	}
	label("quantRow512_loop")
	p("CMPQ CX, $16")
	p("JLT quantRow512_tail")
	p("VMULPS (SI), Z0, Z3")
	quant()
	p("VPMOVSDB Z3, (DI)")
	p("ADDQ $64, SI")
	p("ADDQ $16, DI")
	p("SUBQ $16, CX")
	p("JMP quantRow512_loop")
	label("quantRow512_tail")
	p("TESTQ CX, CX")
	p("JEQ quantRow512_done")
	tailMask()
	p("VMOVUPS.Z (SI), K1, Z3")
	p("VMULPS Z3, Z0, Z3")
	quant()
	p("VPMOVSDB Z3, K1, (DI)")
	label("quantRow512_done")
	p("VZEROUPPER")
	p("RET")
	out.WriteString("\n")

	declare("dequantRow512(y *float32, acc *int32, scale, bias *float32, n int, s float32)")
	out.WriteString("// func dequantRow512(y *float32, acc *int32, scale, bias *float32, n int, s float32)\nTEXT ·dequantRow512(SB), NOSPLIT, $0-44\n")
	p("MOVQ y+0(FP), DI")
	p("MOVQ acc+8(FP), SI")
	p("MOVQ scale+16(FP), DX")
	p("MOVQ bias+24(FP), BX")
	p("MOVQ n+32(FP), CX")
	p("VBROADCASTSS s+40(FP), Z0")
	label("dequantRow512_loop")
	p("CMPQ CX, $16")
	p("JLT dequantRow512_tail")
	p("VCVTDQ2PS (SI), Z1")
	p("VMULPS (DX), Z0, Z2")
	p("VMULPS Z2, Z1, Z1")
	p("VADDPS (BX), Z1, Z1")
	p("VMOVUPS Z1, (DI)")
	for _, r := range []string{"DI", "SI", "DX", "BX"} {
		p("ADDQ $64, %s", r)
	}
	p("SUBQ $16, CX")
	p("JMP dequantRow512_loop")
	label("dequantRow512_tail")
	p("TESTQ CX, CX")
	p("JEQ dequantRow512_done")
	tailMask()
	p("VMOVDQU32.Z (SI), K1, Z1")
	p("VCVTDQ2PS Z1, Z1")
	p("VMOVUPS.Z (DX), K1, Z2")
	p("VMULPS Z2, Z0, Z2")
	p("VMULPS Z2, Z1, Z1")
	p("VMOVUPS.Z (BX), K1, Z3")
	p("VADDPS Z3, Z1, Z1")
	p("VMOVUPS Z1, K1, (DI)")
	label("dequantRow512_done")
	p("VZEROUPPER")
	p("RET")
	out.WriteString("\n")
}

// rowSums prints rowSum512 and rowSum256: the sum of n int8 values, n a
// multiple of 64 (32), by VPDPBUSD of a vector of ones (unsigned) with the
// values (signed), or VPMADDUBSW and VPMADDWD of ones (pairs sum to at
// most 2·128, no saturation).
func rowSums() {
	for _, s := range []isa{avx512, avx2} {
		name := "rowSum" + s.fname
		declare(name + "(x *int8, n int) int32")
		fmt.Fprintf(&out, "// func %s(x *int8, n int) int32\nTEXT ·%s(SB), NOSPLIT, $0-20\n", name, name)
		p("MOVQ x+0(FP), SI")
		p("MOVQ n+8(FP), CX")
		p("MOVL $0x01010101, AX")
		if s.vnni {
			p("VPBROADCASTD AX, Z2")
			p("VPXORD Z0, Z0, Z0")
			p("VPXORD Z1, Z1, Z1")
		} else {
			p("VPBROADCASTD AX, Y2")
			p("MOVL $0x00010001, AX")
			p("VPBROADCASTD AX, Y3")
			p("VPXOR Y0, Y0, Y0")
		}
		p("TESTQ CX, CX")
		p("JEQ %s_reduce", name)
		label(name + "_loop")
		if s.vnni {
			p("VPDPBUSD (SI), Z2, Z0")
			p("ADDQ $64, SI")
			p("SUBQ $64, CX")
		} else {
			p("VPMADDUBSW (SI), Y2, Y4")
			p("VPMADDWD Y3, Y4, Y4")
			p("VPADDD Y4, Y0, Y0")
			p("ADDQ $32, SI")
			p("SUBQ $32, CX")
		}
		p("JNZ %s_loop", name)
		label(name + "_reduce")
		if s.vnni {
			p("VEXTRACTI32X8 $1, Z0, Y1")
			p("VPADDD Y1, Y0, Y0")
		}
		p("VEXTRACTI128 $1, Y0, X1")
		p("VPADDD X1, X0, X0")
		p("VPSHUFD $0x4e, X0, X1")
		p("VPADDD X1, X0, X0")
		p("VPSHUFD $0xb1, X0, X1")
		p("VPADDD X1, X0, X0")
		p("VMOVD X0, AX")
		p("MOVL AX, ret+16(FP)")
		p("VZEROUPPER")
		p("RET")
		out.WriteString("\n")
	}
}

// qgemm prints the integer kernels of every set, then the row kernels and
// row sums: on sets with VNNI, int8 (s8) and ternary (t2) kernels of 1 to
// qRows rows, qNV vectors across, and one vector across (suffix n: the last
// panel of an output of at most 16 columns left, the classifier head);
// elsewhere the sign-trick int8 (s8sign) and ternary kernels.
func qgemm() {
	shifts()
	for _, s := range []isa{avx512, avx2} {
		kinds := []kind{"s8sign", "t2"}
		if s.vnni {
			kinds = []kind{"s8", "t2"}
		}
		for _, k := range kinds {
			for r := 1; r <= s.qRows; r++ {
				qKernel(s, k, r, s.qNV, "")
			}
			if !s.vnni {
				continue
			}
			for r := 1; r <= s.qRows; r++ {
				qKernel(s, k, r, 1, "n")
			}
		}
	}
	rowKernels()
	rowSums()
}
