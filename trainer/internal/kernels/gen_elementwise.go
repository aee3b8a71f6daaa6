//go:build ignore

package main

import "fmt"

// The element-wise kernels: each runs 16 lanes per step and finishes with
// one k-masked step, so every length takes the same code and nothing is
// read or written past n.

// ew describes one streaming kernel: the registers of its pointers, the
// counter, and a body printed once for full steps and once masked.
type ew struct {
	name, sig, frame string
	ptrs             []string // pointer registers, advanced by 64 bytes a step
	setup            func()
	body             func(tail bool)
}

// ld and st print a full or K1-masked (zeroing) load and store.
func ld(tail bool, addr, reg string) {
	if tail {
		p("VMOVUPS.Z %s, K1, %s", addr, reg)
	} else {
		p("VMOVUPS %s, %s", addr, reg)
	}
}

func st(tail bool, reg, addr string) {
	if tail {
		p("VMOVUPS %s, K1, %s", reg, addr)
	} else {
		p("VMOVUPS %s, %s", reg, addr)
	}
}

func (k ew) print() {
	fmt.Fprintf(&out, "// func %s\n", k.sig)
	fmt.Fprintf(&out, "TEXT ·%s(SB), NOSPLIT, %s\n", k.name, k.frame)
	k.setup() // loads CX = n and the pointers
	label(k.name + "_loop")
	p("CMPQ CX, $16")
	p("JLT %s_tail", k.name)
	k.body(false)
	for _, r := range k.ptrs {
		p("ADDQ $64, %s", r)
	}
	p("SUBQ $16, CX")
	p("JMP %s_loop", k.name)
	label(k.name + "_tail")
	p("TESTQ CX, CX")
	p("JEQ %s_done", k.name)
	p("MOVL $1, AX")
	p("SHLL CX, AX")
	p("DECL AX")
	p("KMOVW AX, K1")
	k.body(true)
	label(k.name + "_done")
	p("VZEROUPPER")
	p("RET")
	out.WriteString("\n")
}

func elementwise() {
	ew{
		name: "axpy512", sig: "axpy512(alpha float32, x, y *float32, n int)", frame: "$0-32",
		ptrs: []string{"SI", "DI"},
		setup: func() {
			p("VBROADCASTSS alpha+0(FP), Z31")
			p("MOVQ x+8(FP), SI")
			p("MOVQ y+16(FP), DI")
			p("MOVQ n+24(FP), CX")
		},
		body: func(tail bool) {
			ld(tail, "(SI)", "Z0")
			ld(tail, "(DI)", "Z1")
			p("VFMADD231PS Z31, Z0, Z1")
			st(tail, "Z1", "(DI)")
		},
	}.print()
	ew{
		name: "scale512", sig: "scale512(alpha float32, x *float32, n int)", frame: "$0-24",
		ptrs: []string{"DI"},
		setup: func() {
			p("VBROADCASTSS alpha+0(FP), Z31")
			p("MOVQ x+8(FP), DI")
			p("MOVQ n+16(FP), CX")
		},
		body: func(tail bool) {
			ld(tail, "(DI)", "Z0")
			p("VMULPS Z31, Z0, Z0")
			st(tail, "Z0", "(DI)")
		},
	}.print()
	ew{
		name: "relu512", sig: "relu512(dst, src *float32, n int)", frame: "$0-24",
		ptrs: []string{"SI", "DI"},
		setup: func() {
			p("VPXORD Z31, Z31, Z31")
			p("MOVQ dst+0(FP), DI")
			p("MOVQ src+8(FP), SI")
			p("MOVQ n+16(FP), CX")
		},
		body: func(tail bool) {
			ld(tail, "(SI)", "Z0")
			// max(0, x) returning x when x is NaN, as Go's max does.
			p("VMAXPS Z0, Z31, Z0")
			st(tail, "Z0", "(DI)")
		},
	}.print()
	ew{
		name: "reluGrad512", sig: "reluGrad512(dx, dy, y *float32, n int)", frame: "$0-32",
		ptrs: []string{"DI", "SI", "DX"},
		setup: func() {
			p("VPXORD Z31, Z31, Z31")
			p("MOVQ dx+0(FP), DI")
			p("MOVQ dy+8(FP), SI")
			p("MOVQ y+16(FP), DX")
			p("MOVQ n+24(FP), CX")
		},
		body: func(tail bool) {
			ld(tail, "(DX)", "Z0")
			p("VCMPPS $0x1e, Z31, Z0, K2") // y > 0 (ordered)
			p("VMOVUPS.Z (SI), K2, Z1")
			st(tail, "Z1", "(DI)")
		},
	}.print()
	ew{
		name: "sgdMomentum512", sig: "sgdMomentum512(w, grad, vel *float32, n int, lr, mu, wd float32)", frame: "$0-44",
		ptrs: []string{"DI", "SI", "DX"},
		setup: func() {
			p("MOVQ w+0(FP), DI")
			p("MOVQ grad+8(FP), SI")
			p("MOVQ vel+16(FP), DX")
			p("MOVQ n+24(FP), CX")
			p("VBROADCASTSS lr+32(FP), Z29")
			p("VBROADCASTSS mu+36(FP), Z30")
			p("VBROADCASTSS wd+40(FP), Z31")
		},
		body: func(tail bool) {
			ld(tail, "(DI)", "Z0")        // w
			ld(tail, "(SI)", "Z1")        // grad
			ld(tail, "(DX)", "Z2")        // vel
			p("VFMADD231PS Z31, Z0, Z1")  // g = grad + wd·w
			p("VFMADD213PS Z1, Z30, Z2")  // v = mu·vel + g
			p("VFNMADD231PS Z29, Z2, Z0") // w -= lr·v
			st(tail, "Z2", "(DX)")
			st(tail, "Z0", "(DI)")
		},
	}.print()
	ew{
		name: "adamW512", sig: "adamW512(w, grad, m, v *float32, n int, lr, b1, b2, eps, wd, c1, c2 float32)", frame: "$0-68",
		ptrs: []string{"DI", "SI", "DX", "BX"},
		setup: func() {
			p("MOVQ w+0(FP), DI")
			p("MOVQ grad+8(FP), SI")
			p("MOVQ m+16(FP), DX")
			p("MOVQ v+24(FP), BX")
			p("MOVQ n+32(FP), CX")
			p("VBROADCASTSS lr+40(FP), Z24")
			p("VBROADCASTSS b1+44(FP), Z25")
			p("VBROADCASTSS b2+48(FP), Z26")
			p("VBROADCASTSS eps+52(FP), Z27")
			p("VBROADCASTSS wd+56(FP), Z28")
			p("VBROADCASTSS c1+60(FP), Z29")
			p("VBROADCASTSS c2+64(FP), Z30")
			// Z22 = 1-b1, Z23 = 1-b2 (rounded as the Go code rounds them).
			p("MOVL $0x3f800000, AX")
			p("VPBROADCASTD AX, Z31")
			p("VSUBPS Z25, Z31, Z22")
			p("VSUBPS Z26, Z31, Z23")
		},
		body: func(tail bool) {
			ld(tail, "(SI)", "Z1")        // g
			ld(tail, "(DX)", "Z2")        // m
			ld(tail, "(BX)", "Z3")        // v
			ld(tail, "(DI)", "Z0")        // w
			p("VMULPS Z22, Z1, Z4")       // (1-b1)·g
			p("VFMADD213PS Z4, Z25, Z2")  // m = b1·m + (1-b1)·g
			p("VMULPS Z1, Z1, Z5")        // g²
			p("VMULPS Z23, Z5, Z5")       // (1-b2)·g²
			p("VFMADD213PS Z5, Z26, Z3")  // v = b2·v + (1-b2)·g²
			p("VMULPS Z30, Z3, Z6")       // v·c2
			p("VSQRTPS Z6, Z6")           //
			p("VADDPS Z27, Z6, Z6")       // sqrt(v·c2) + eps
			p("VMULPS Z29, Z2, Z7")       // m·c1
			p("VDIVPS Z6, Z7, Z7")        // m·c1 / (sqrt(v·c2) + eps)
			p("VFMADD231PS Z28, Z0, Z7")  // + wd·w
			p("VFNMADD231PS Z24, Z7, Z0") // w -= lr·(…)
			st(tail, "Z2", "(DX)")
			st(tail, "Z3", "(BX)")
			st(tail, "Z0", "(DI)")
		},
	}.print()
}

// The two row-wise kernels loop over rows and 16-column chunks; the last
// chunk of a row is masked.
func rowwise() {
	out.WriteString(`// func addBias512(x *float32, rows, cols int, bias *float32)
TEXT ·addBias512(SB), NOSPLIT, $0-32
	MOVQ x+0(FP), DI
	MOVQ rows+8(FP), R8
	MOVQ cols+16(FP), R9
	MOVQ bias+24(FP), R10
	MOVQ R9, CX
	ANDQ $15, CX
	MOVL $1, AX
	SHLL CX, AX
	DECL AX
	KMOVW AX, K1
	TESTQ R8, R8
	JEQ addBias512_done

addBias512_row:
	MOVQ R10, SI
	MOVQ R9, CX

addBias512_col:
	CMPQ CX, $16
	JLT addBias512_tail
	VMOVUPS (DI), Z0
	VADDPS (SI), Z0, Z0
	VMOVUPS Z0, (DI)
	ADDQ $64, DI
	ADDQ $64, SI
	SUBQ $16, CX
	JMP addBias512_col

addBias512_tail:
	TESTQ CX, CX
	JEQ addBias512_next
	VMOVUPS.Z (DI), K1, Z0
	VMOVUPS.Z (SI), K1, Z1
	VADDPS Z1, Z0, Z0
	VMOVUPS Z0, K1, (DI)
	LEAQ (DI)(CX*4), DI

addBias512_next:
	DECQ R8
	JNZ addBias512_row

addBias512_done:
	VZEROUPPER
	RET

// func sumRows512(dst, x *float32, rows, cols int)
// Each 16-column chunk sums the rows in four accumulators (rows i mod 4).
TEXT ·sumRows512(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ rows+16(FP), R8
	MOVQ cols+24(FP), CX
	MOVQ CX, R11
	SHLQ $2, R11

sumRows512_chunk:
	TESTQ CX, CX
	JLE sumRows512_done
	MOVL $0xffff, AX
	CMPQ CX, $16
	JGE sumRows512_full
	MOVL $1, AX
	SHLL CX, AX
	DECL AX

sumRows512_full:
	KMOVW AX, K1
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	MOVQ SI, R10
	MOVQ R8, DX

sumRows512_rows4:
	CMPQ DX, $4
	JLT sumRows512_rows1
	VMOVUPS.Z (R10), K1, Z4
	VADDPS Z4, Z0, Z0
	ADDQ R11, R10
	VMOVUPS.Z (R10), K1, Z5
	VADDPS Z5, Z1, Z1
	ADDQ R11, R10
	VMOVUPS.Z (R10), K1, Z6
	VADDPS Z6, Z2, Z2
	ADDQ R11, R10
	VMOVUPS.Z (R10), K1, Z7
	VADDPS Z7, Z3, Z3
	ADDQ R11, R10
	SUBQ $4, DX
	JMP sumRows512_rows4

sumRows512_rows1:
	TESTQ DX, DX
	JEQ sumRows512_sum
	VMOVUPS.Z (R10), K1, Z4
	VADDPS Z4, Z0, Z0
	ADDQ R11, R10
	DECQ DX
	JMP sumRows512_rows1

sumRows512_sum:
	VADDPS Z1, Z0, Z0
	VADDPS Z3, Z2, Z2
	VADDPS Z2, Z0, Z0
	VMOVUPS.Z (DI), K1, Z5
	VADDPS Z5, Z0, Z0
	VMOVUPS Z0, K1, (DI)
	ADDQ $64, DI
	ADDQ $64, SI
	SUBQ $16, CX
	JMP sumRows512_chunk

sumRows512_done:
	VZEROUPPER
	RET
`)
}
