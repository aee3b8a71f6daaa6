//go:build ignore

package main

import "fmt"

// The AVX2 element-wise kernels: 8 lanes per step and a last step under a
// VMASKMOVPS lane mask (Y15 = lane < n), which, like the AVX-512 k-masks,
// neither reads nor writes past n.

// ld2 and st2 print a full or Y15-masked load and store.
func ld2(tail bool, addr, reg string) {
	if tail {
		p("VMASKMOVPS %s, Y15, %s", addr, reg)
	} else {
		p("VMOVUPS %s, %s", addr, reg)
	}
}

func st2(tail bool, reg, addr string) {
	if tail {
		p("VMASKMOVPS %s, Y15, %s", reg, addr)
	} else {
		p("VMOVUPS %s, %s", reg, addr)
	}
}

// tailMask2 sets Y15 to the lanes below CX (1 ≤ CX < 8), clobbering Y13
// and Y14.
func tailMask2() {
	p("VMOVD CX, X14")
	p("VPBROADCASTD X14, Y14")
	p("VMOVDQU lanes8<>(SB), Y13")
	p("VPCMPGTD Y13, Y14, Y15")
}

func (k ew) print2() {
	fmt.Fprintf(&out, "// func %s\n", k.sig)
	fmt.Fprintf(&out, "TEXT ·%s(SB), NOSPLIT, %s\n", k.name, k.frame)
	k.setup()
	label(k.name + "_loop")
	p("CMPQ CX, $8")
	p("JLT %s_tail", k.name)
	k.body(false)
	for _, r := range k.ptrs {
		p("ADDQ $32, %s", r)
	}
	p("SUBQ $8, CX")
	p("JMP %s_loop", k.name)
	label(k.name + "_tail")
	p("TESTQ CX, CX")
	p("JEQ %s_done", k.name)
	tailMask2()
	k.body(true)
	label(k.name + "_done")
	p("VZEROUPPER")
	p("RET")
	out.WriteString("\n")
}

func elementwise2() {
	out.WriteString("// 0, 1, …, 7 as int32: lane numbers for the tail masks.\n")
	for i := 0; i < 8; i++ {
		fmt.Fprintf(&out, "DATA lanes8<>+%d(SB)/4, $%d\n", 4*i, i)
	}
	out.WriteString("GLOBL lanes8<>(SB), RODATA|NOPTR, $32\n\n")
	out.WriteString("DATA one<>+0(SB)/4, $0x3f800000\nGLOBL one<>(SB), RODATA|NOPTR, $4\n\n")
	ew{
		name: "axpy256", sig: "axpy256(alpha float32, x, y *float32, n int)", frame: "$0-32",
		ptrs: []string{"SI", "DI"},
		setup: func() {
			p("VBROADCASTSS alpha+0(FP), Y12")
			p("MOVQ x+8(FP), SI")
			p("MOVQ y+16(FP), DI")
			p("MOVQ n+24(FP), CX")
		},
		body: func(tail bool) {
			ld2(tail, "(SI)", "Y0")
			ld2(tail, "(DI)", "Y1")
			p("VFMADD231PS Y12, Y0, Y1")
			st2(tail, "Y1", "(DI)")
		},
	}.print2()
	ew{
		name: "scale256", sig: "scale256(alpha float32, x *float32, n int)", frame: "$0-24",
		ptrs: []string{"DI"},
		setup: func() {
			p("VBROADCASTSS alpha+0(FP), Y12")
			p("MOVQ x+8(FP), DI")
			p("MOVQ n+16(FP), CX")
		},
		body: func(tail bool) {
			ld2(tail, "(DI)", "Y0")
			p("VMULPS Y12, Y0, Y0")
			st2(tail, "Y0", "(DI)")
		},
	}.print2()
	ew{
		name: "relu256", sig: "relu256(dst, src *float32, n int)", frame: "$0-24",
		ptrs: []string{"SI", "DI"},
		setup: func() {
			p("VXORPS Y12, Y12, Y12")
			p("MOVQ dst+0(FP), DI")
			p("MOVQ src+8(FP), SI")
			p("MOVQ n+16(FP), CX")
		},
		body: func(tail bool) {
			ld2(tail, "(SI)", "Y0")
			p("VMAXPS Y0, Y12, Y0") // x when x is NaN, as Go's max
			st2(tail, "Y0", "(DI)")
		},
	}.print2()
	ew{
		name: "reluGrad256", sig: "reluGrad256(dx, dy, y *float32, n int)", frame: "$0-32",
		ptrs: []string{"DI", "SI", "DX"},
		setup: func() {
			p("VXORPS Y12, Y12, Y12")
			p("MOVQ dx+0(FP), DI")
			p("MOVQ dy+8(FP), SI")
			p("MOVQ y+16(FP), DX")
			p("MOVQ n+24(FP), CX")
		},
		body: func(tail bool) {
			ld2(tail, "(DX)", "Y0")
			ld2(tail, "(SI)", "Y1")
			p("VCMPPS $0x1e, Y12, Y0, Y2") // y > 0 (ordered)
			p("VANDPS Y1, Y2, Y1")
			st2(tail, "Y1", "(DI)")
		},
	}.print2()
	ew{
		name: "sgdMomentum256", sig: "sgdMomentum256(w, grad, vel *float32, n int, lr, mu, wd float32)", frame: "$0-44",
		ptrs: []string{"DI", "SI", "DX"},
		setup: func() {
			p("MOVQ w+0(FP), DI")
			p("MOVQ grad+8(FP), SI")
			p("MOVQ vel+16(FP), DX")
			p("MOVQ n+24(FP), CX")
			p("VBROADCASTSS lr+32(FP), Y10")
			p("VBROADCASTSS mu+36(FP), Y11")
			p("VBROADCASTSS wd+40(FP), Y12")
		},
		body: func(tail bool) {
			ld2(tail, "(DI)", "Y0")
			ld2(tail, "(SI)", "Y1")
			ld2(tail, "(DX)", "Y2")
			p("VFMADD231PS Y12, Y0, Y1")  // g = grad + wd·w
			p("VFMADD213PS Y1, Y11, Y2")  // v = mu·vel + g
			p("VFNMADD231PS Y10, Y2, Y0") // w -= lr·v
			st2(tail, "Y2", "(DX)")
			st2(tail, "Y0", "(DI)")
		},
	}.print2()
	ew{
		name: "adamW256", sig: "adamW256(w, grad, m, v *float32, n int, lr, b1, b2, eps, wd, c1, c2 float32)", frame: "$0-68",
		ptrs: []string{"DI", "SI", "DX", "BX"},
		setup: func() {
			p("MOVQ w+0(FP), DI")
			p("MOVQ grad+8(FP), SI")
			p("MOVQ m+16(FP), DX")
			p("MOVQ v+24(FP), BX")
			p("MOVQ n+32(FP), CX")
			// Y8 = b1, Y9 = b2, Y10 = eps, Y11 = c1, Y12 = c2; lr and wd
			// are broadcast from memory where used (Y13..Y15 hold the
			// tail mask).
			p("VBROADCASTSS b1+44(FP), Y8")
			p("VBROADCASTSS b2+48(FP), Y9")
			p("VBROADCASTSS eps+52(FP), Y10")
			p("VBROADCASTSS c1+60(FP), Y11")
			p("VBROADCASTSS c2+64(FP), Y12")
		},
		body: func(tail bool) {
			ld2(tail, "(SI)", "Y1") // g
			ld2(tail, "(DX)", "Y2") // m
			ld2(tail, "(BX)", "Y3") // v
			ld2(tail, "(DI)", "Y0") // w
			p("VBROADCASTSS one<>(SB), Y7")
			p("VSUBPS Y8, Y7, Y6")      // 1-b1
			p("VSUBPS Y9, Y7, Y7")      // 1-b2
			p("VMULPS Y6, Y1, Y4")      // (1-b1)·g
			p("VFMADD213PS Y4, Y8, Y2") // m = b1·m + (1-b1)·g
			p("VMULPS Y1, Y1, Y5")      // g²
			p("VMULPS Y7, Y5, Y5")      // (1-b2)·g²
			p("VFMADD213PS Y5, Y9, Y3") // v = b2·v + (1-b2)·g²
			p("VMULPS Y12, Y3, Y6")     // v·c2
			p("VSQRTPS Y6, Y6")         //
			p("VADDPS Y10, Y6, Y6")     // sqrt(v·c2) + eps
			p("VMULPS Y11, Y2, Y7")     // m·c1
			p("VDIVPS Y6, Y7, Y7")      // m·c1 / (sqrt(v·c2) + eps)
			p("VBROADCASTSS wd+56(FP), Y6")
			p("VFMADD231PS Y6, Y0, Y7") // + wd·w
			p("VBROADCASTSS lr+40(FP), Y6")
			p("VFNMADD231PS Y6, Y7, Y0") // w -= lr·(…)
			st2(tail, "Y2", "(DX)")
			st2(tail, "Y3", "(BX)")
			st2(tail, "Y0", "(DI)")
		},
	}.print2()
	rowwise2()
}

// rowwise2 prints the AVX2 AddBias and SumRows: rows × 8-column chunks, the
// last chunk of a row masked.
func rowwise2() {
	out.WriteString("// func addBias256(x *float32, rows, cols int, bias *float32)\n")
	out.WriteString("TEXT ·addBias256(SB), NOSPLIT, $0-32\n")
	p("MOVQ x+0(FP), DI")
	p("MOVQ rows+8(FP), R8")
	p("MOVQ cols+16(FP), R9")
	p("MOVQ bias+24(FP), R10")
	p("MOVQ R9, CX")
	p("ANDQ $7, CX")
	tailMask2()
	p("TESTQ R8, R8")
	p("JEQ addBias256_done")
	label("addBias256_row")
	p("MOVQ R10, SI")
	p("MOVQ R9, CX")
	label("addBias256_col")
	p("CMPQ CX, $8")
	p("JLT addBias256_tail")
	p("VMOVUPS (DI), Y0")
	p("VADDPS (SI), Y0, Y0")
	p("VMOVUPS Y0, (DI)")
	p("ADDQ $32, DI")
	p("ADDQ $32, SI")
	p("SUBQ $8, CX")
	p("JMP addBias256_col")
	label("addBias256_tail")
	p("TESTQ CX, CX")
	p("JEQ addBias256_next")
	ld2(true, "(DI)", "Y0")
	ld2(true, "(SI)", "Y1")
	p("VADDPS Y1, Y0, Y0")
	st2(true, "Y0", "(DI)")
	p("LEAQ (DI)(CX*4), DI")
	label("addBias256_next")
	p("DECQ R8")
	p("JNZ addBias256_row")
	label("addBias256_done")
	p("VZEROUPPER")
	p("RET")
	out.WriteString("\n")

	out.WriteString("// func sumRows256(dst, x *float32, rows, cols int)\n")
	out.WriteString("// Each 8-column chunk sums the rows in four accumulators (rows i mod 4).\n")
	out.WriteString("TEXT ·sumRows256(SB), NOSPLIT, $0-32\n")
	p("MOVQ dst+0(FP), DI")
	p("MOVQ x+8(FP), SI")
	p("MOVQ rows+16(FP), R8")
	p("MOVQ cols+24(FP), CX")
	p("MOVQ CX, R11")
	p("SHLQ $2, R11")
	p("VPCMPEQD Y15, Y15, Y15") // all lanes
	label("sumRows256_chunk")
	p("TESTQ CX, CX")
	p("JLE sumRows256_done")
	p("CMPQ CX, $8")
	p("JGE sumRows256_full")
	tailMask2()
	label("sumRows256_full")
	for i := 0; i < 4; i++ {
		p("VXORPS Y%d, Y%d, Y%d", i, i, i)
	}
	p("MOVQ SI, R10")
	p("MOVQ R8, DX")
	label("sumRows256_rows4")
	p("CMPQ DX, $4")
	p("JLT sumRows256_rows1")
	for i := 0; i < 4; i++ {
		p("VMASKMOVPS (R10), Y15, Y%d", 4+i)
		p("VADDPS Y%d, Y%d, Y%d", 4+i, i, i)
		p("ADDQ R11, R10")
	}
	p("SUBQ $4, DX")
	p("JMP sumRows256_rows4")
	label("sumRows256_rows1")
	p("TESTQ DX, DX")
	p("JEQ sumRows256_sum")
	p("VMASKMOVPS (R10), Y15, Y4")
	p("VADDPS Y4, Y0, Y0")
	p("ADDQ R11, R10")
	p("DECQ DX")
	p("JMP sumRows256_rows1")
	label("sumRows256_sum")
	p("VADDPS Y1, Y0, Y0")
	p("VADDPS Y3, Y2, Y2")
	p("VADDPS Y2, Y0, Y0")
	p("VMASKMOVPS (DI), Y15, Y5")
	p("VADDPS Y5, Y0, Y0")
	p("VMASKMOVPS Y0, Y15, (DI)")
	p("ADDQ $32, DI")
	p("ADDQ $32, SI")
	p("SUBQ $8, CX")
	p("JMP sumRows256_chunk")
	label("sumRows256_done")
	p("VZEROUPPER")
	p("RET")
	out.WriteString("\n")
}
