//go:build ignore

package main

import (
	"fmt"
	"math"
)

// The activation kernels (Tanh, TanhGrad, GELU, GELUGrad) for AVX-512 and
// AVX2, printed from one description: the formulas of activation_go.go,
// operation for operation, with multiply-adds as FMAs, both branches of
// tanh computed and blended, and a NaN input copied to the output at the
// end (the clamps, MAXPS and MINPS, would otherwise turn it into a number).
//
// The constants live in actc<>, each replicated 16 times (64 bytes) so that
// a zmm or ymm operand can read it in place; the AVX-512 kernels broadcast
// the first ones they use into spare registers.

// actConsts are the constants, as float32 (or, for the ones named i:,
// int32) values; their values are those of activation_go.go.
var actConsts = []struct {
	name string
	v    float64
}{
	{"one", 1}, {"half", 0.5}, {"abs", 0}, {"sign", 0}, {"i:bias", 127},
	{"log2e", 1.442695040888963}, {"magic", 12582912},
	{"ln2hi", 0.693359375}, {"ln2lo", -2.1219444005469058e-4},
	{"c3", 1.0 / 6}, {"c4", 1.0 / 24}, {"c5", 1.0 / 120}, {"c6", 1.0 / 720},
	{"expmin", -87},
	{"tsmall", 0.25}, {"t3", -1.0 / 3}, {"t5", 2.0 / 15}, {"t7", -17.0 / 315}, {"t9", 62.0 / 2835},
	{"m2", -2}, {"tmin2x", -20},
	{"glo", -20}, {"ghi", 20}, {"rsqrt2", 0.7071067811865476},
	{"erfp", 0.3275911}, {"a1", 0.254829592}, {"a2", -0.284496736}, {"a3", 1.421413741},
	{"a4", -1.453152027}, {"a5", 1.061405429}, {"invs2pi", 0.3989422804014327},
}

func actConstTable() {
	out.WriteString("// The constants of the activation kernels, each 16 times (gen_activation.go).\n")
	for i, c := range actConsts {
		var bits uint32
		switch c.name {
		case "abs":
			bits = 0x7fffffff
		case "sign":
			bits = 0x80000000
		case "i:bias":
			bits = uint32(int32(c.v))
		default:
			bits = math.Float32bits(float32(c.v))
		}
		for j := 0; j < 16; j++ {
			fmt.Fprintf(&out, "DATA actc<>+%d(SB)/4, $0x%08x\n", 64*i+4*j, bits)
		}
	}
	fmt.Fprintf(&out, "GLOBL actc<>(SB), RODATA|NOPTR, $%d\n\n", 64*len(actConsts))
}

// vctx is one vector width: its register names and constant operands.
type vctx struct {
	w512  bool
	regs  map[string]string // AVX-512: constants held in registers
	order []string
	next  int // next free constant register (AVX-512: Z31 down to Z10)
}

func (v *vctx) r(i int) string {
	if v.w512 {
		return fmt.Sprintf("Z%d", i)
	}
	return fmt.Sprintf("Y%d", i)
}

func constIndex(name string) int {
	for i, c := range actConsts {
		if c.name == name || c.name == "i:"+name {
			return i
		}
	}
	panic("no constant " + name)
}

// c returns the operand of a constant: a register (AVX-512, while spare
// ones last) or its place in actc<>.
func (v *vctx) c(name string) string {
	i := constIndex(name)
	if v.w512 {
		if r, ok := v.regs[name]; ok {
			return r
		}
		if v.next >= 10 {
			r := fmt.Sprintf("Z%d", v.next)
			v.next--
			v.regs[name] = r
			v.order = append(v.order, name)
			return r
		}
	}
	return fmt.Sprintf("actc<>+%d(SB)", 64*i)
}

// one is 1.0 in a register: the AVX-512 kernels allocate it first, the
// AVX2 ones hold it in Y12.
func (v *vctx) one() string {
	if v.w512 {
		return v.c("one")
	}
	return "Y12"
}

// ldc copies a constant into register dst.
func (v *vctx) ldc(name, dst string) {
	op := v.c(name)
	if op[0] == 'Z' {
		p("VMOVAPS %s, %s", op, dst)
	} else {
		p("VMOVUPS %s, %s", op, dst)
	}
}

// sel sets dst = src in the lanes where a <cmp> b (a VCMPPS predicate),
// using scratch (AVX2) or K2 (AVX-512).
func (v *vctx) sel(pred int, b, a, src, dst, scratch string) {
	if v.w512 {
		p("VCMPPS $0x%02x, %s, %s, K2", pred, b, a)
		p("VMOVAPS %s, K2, %s", src, dst)
	} else {
		p("VCMPPS $0x%02x, %s, %s, %s", pred, b, a, scratch)
		p("VBLENDVPS %s, %s, %s, %s", scratch, src, dst, dst)
	}
}

const (
	predUnord = 0x03
	predLT    = 0x11 // less than, ordered, quiet
	predGE    = 0x1d // greater or equal, ordered, quiet
)

func (v *vctx) ld(tail bool, addr, reg string) {
	if v.w512 {
		ld(tail, addr, reg)
	} else {
		ld2(tail, addr, reg)
	}
}

func (v *vctx) st(tail bool, reg, addr string) {
	if v.w512 {
		st(tail, reg, addr)
	} else {
		st2(tail, reg, addr)
	}
}

// exp sets e = e^a for a ≤ 0 (a is clamped to ≥ -87 and then holds r),
// clobbering t and k: expNeg of activation_go.go.
func (v *vctx) exp(a, t, k, e string) {
	p("VMAXPS %s, %s, %s", v.c("expmin"), a, a)
	v.ldc("log2e", t)
	p("VFMADD213PS %s, %s, %s", v.c("magic"), a, t)  // t = a·log2e + 1.5·2²³
	p("VSUBPS %s, %s, %s", v.c("magic"), t, k)       // k = round(a·log2e)
	p("VFNMADD231PS %s, %s, %s", v.c("ln2hi"), k, a) // r = a − k·ln2hi
	p("VFNMADD231PS %s, %s, %s", v.c("ln2lo"), k, a) //   − k·ln2lo
	v.ldc("c6", e)
	for _, c := range []string{"c5", "c4", "c3", "half", "one", "one"} {
		p("VFMADD213PS %s, %s, %s", v.c(c), a, e)
	}
	p("VPADDD %s, %s, %s", v.c("bias"), t, t) // (k+127)<<23 = 2^k
	p("VPSLLD $23, %s, %s", t, t)
	p("VMULPS %s, %s, %s", t, e, e)
}

// phi sets h = Φ(xc) and e = e^(−xc²/2) for xc (clamped already), with
// scratch registers s[0..3]: phi of activation_go.go.
func (v *vctx) phi(xc, h, e string, s [4]string) {
	z, t, a, k := s[0], s[1], s[2], s[3]
	p("VMULPS %s, %s, %s", v.c("rsqrt2"), xc, z)
	p("VANDPS %s, %s, %s", v.c("abs"), z, t)
	p("VMULPS %s, %s, %s", v.c("erfp"), t, t)
	p("VADDPS %s, %s, %s", v.c("one"), t, t)
	p("VDIVPS %s, %s, %s", t, v.one(), t) // t = 1/(1 + p·|z|)
	p("VMULPS %s, %s, %s", z, z, a)
	p("VXORPS %s, %s, %s", v.c("sign"), a, a) // −z²
	v.exp(a, z, k, e)
	v.ldc("a5", h)
	for _, c := range []string{"a4", "a3", "a2", "a1"} {
		p("VFMADD213PS %s, %s, %s", v.c(c), t, h)
	}
	p("VMULPS %s, %s, %s", t, h, h)
	p("VMULPS %s, %s, %s", e, h, h)
	p("VMULPS %s, %s, %s", v.c("half"), h, h) // erfc(|z|)/2
	p("VSUBPS %s, %s, %s", h, v.one(), t)     // 1 − erfc(|z|)/2
	p("VXORPS %s, %s, %s", k, k, k)
	v.sel(predGE, k, xc, t, h, a) // x ≥ 0
}

// actKernel prints one activation kernel for the width of v: ptrs are the
// pointer registers loaded from the arguments named args, body the step.
func actKernel(v *vctx, name, sig, frame string, args, ptrs []string, body func(tail bool)) {
	if v.w512 {
		// A dry run allocates the constant registers, "one" first.
		v.regs, v.order, v.next = map[string]string{}, nil, 31
		v.c("one")
		n := out.Len()
		body(false)
		out.Truncate(n)
	}
	k := ew{
		name: name, sig: sig, frame: frame, ptrs: ptrs,
		setup: func() {
			for i, r := range ptrs {
				p("MOVQ %s+%d(FP), %s", args[i], 8*i, r)
			}
			p("MOVQ n+%d(FP), CX", 8*len(ptrs))
			if v.w512 {
				for _, c := range v.order {
					p("VBROADCASTSS actc<>+%d(SB), %s", 64*constIndex(c), v.regs[c])
				}
			} else {
				p("VMOVUPS actc<>+%d(SB), Y12", 64*constIndex("one"))
			}
		},
		body: body,
	}
	if v.w512 {
		k.print()
	} else {
		k.print2()
	}
}

func activations() {
	actConstTable()
	for _, v := range []*vctx{{w512: true}, {w512: false}} {
		sfx := "256"
		if v.w512 {
			sfx = "512"
		}
		r := v.r
		actKernel(v, "tanh"+sfx, "tanh"+sfx+"(dst, src *float32, n int)", "$0-24",
			[]string{"dst", "src"}, []string{"DI", "SI"}, func(tail bool) {
				x, ax, s, poly, a, t, k, e, sg := r(0), r(1), r(2), r(3), r(4), r(5), r(6), r(7), r(8)
				v.ld(tail, "(SI)", x)
				p("VANDPS %s, %s, %s", v.c("abs"), x, ax)
				// |x| < 0.25: x + x·s·P(s), s = x².
				p("VMULPS %s, %s, %s", x, x, s)
				v.ldc("t9", poly)
				for _, c := range []string{"t7", "t5", "t3"} {
					p("VFMADD213PS %s, %s, %s", v.c(c), s, poly)
				}
				p("VMULPS %s, %s, %s", s, x, s)
				p("VFMADD213PS %s, %s, %s", x, s, poly)
				// Otherwise (1−e)/(1+e), e = exp(max(−2|x|, −20)), signed.
				p("VMULPS %s, %s, %s", v.c("m2"), ax, a)
				p("VMAXPS %s, %s, %s", v.c("tmin2x"), a, a)
				v.exp(a, t, k, e)
				p("VSUBPS %s, %s, %s", e, v.one(), t)
				p("VADDPS %s, %s, %s", v.one(), e, k)
				p("VDIVPS %s, %s, %s", k, t, t)
				p("VANDPS %s, %s, %s", v.c("sign"), x, k)
				p("VORPS %s, %s, %s", k, t, t)
				v.sel(predLT, v.c("tsmall"), ax, poly, t, sg)
				v.sel(predUnord, x, x, x, t, sg)
				v.st(tail, t, "(DI)")
			})
		actKernel(v, "tanhGrad"+sfx, "tanhGrad"+sfx+"(dx, dy, y *float32, n int)", "$0-32",
			[]string{"dx", "dy", "y"}, []string{"DI", "SI", "DX"}, func(tail bool) {
				y, dy, d := r(0), r(1), r(2)
				v.ld(tail, "(DX)", y)
				v.ld(tail, "(SI)", dy)
				p("VMULPS %s, %s, %s", y, y, d)
				p("VSUBPS %s, %s, %s", d, v.one(), d) // 1 − y²
				p("VMULPS %s, %s, %s", d, dy, d)
				v.st(tail, d, "(DI)")
			})
		actKernel(v, "gelu"+sfx, "gelu"+sfx+"(dst, src *float32, n int)", "$0-24",
			[]string{"dst", "src"}, []string{"DI", "SI"}, func(tail bool) {
				x, xl, xc, h, e, y := r(0), r(1), r(2), r(3), r(4), r(5)
				v.ld(tail, "(SI)", x)
				p("VMAXPS %s, %s, %s", v.c("glo"), x, xl)
				p("VMINPS %s, %s, %s", v.c("ghi"), xl, xc)
				v.phi(xc, h, e, [4]string{r(6), r(7), r(8), r(9)})
				p("VMULPS %s, %s, %s", h, xl, y) // max(x, −20)·Φ
				v.sel(predUnord, x, x, x, y, r(6))
				v.st(tail, y, "(DI)")
			})
		actKernel(v, "geluGrad"+sfx, "geluGrad"+sfx+"(dx, dy, x *float32, n int)", "$0-32",
			[]string{"dx", "dy", "x"}, []string{"DI", "SI", "DX"}, func(tail bool) {
				x, xc, h, e, d, dy := r(0), r(1), r(2), r(3), r(4), r(5)
				v.ld(tail, "(DX)", x)
				p("VMAXPS %s, %s, %s", v.c("glo"), x, xc)
				p("VMINPS %s, %s, %s", v.c("ghi"), xc, xc)
				v.phi(xc, h, e, [4]string{r(6), r(7), r(8), r(9)})
				p("VMULPS %s, %s, %s", v.c("invs2pi"), xc, d)
				p("VFMADD213PS %s, %s, %s", h, e, d) // Φ + xc·φ
				v.ld(tail, "(SI)", dy)
				p("VMULPS %s, %s, %s", dy, d, d)
				v.sel(predUnord, x, x, x, d, r(6))
				v.st(tail, d, "(DI)")
			})
	}
}
