package kernels

// impl is one implementation of the whole kernel set. The exported functions
// call through the active one, chosen once at start-up from the CPU's
// features; further paths (bf16 on AMX tiles) are added by returning
// another impl from archImpls, without changing callers.
type impl struct {
	name string

	gemm        func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)
	addBias     func(x []float32, rows, cols int, bias []float32)
	sumRows     func(dst, x []float32, rows, cols int)
	relu        func(dst, src []float32)
	reluGrad    func(dx, dy, y []float32)
	axpy        func(alpha float32, x, y []float32)
	scale       func(alpha float32, x []float32)
	sgdMomentum func(w, grad, vel []float32, lr, mu, wd float32)
	adamW       func(w, grad, m, v []float32, lr, b1, b2, eps, wd, c1, c2 float32)
	tanh        func(dst, src []float32)
	tanhGrad    func(dx, dy, y []float32)
	gelu        func(dst, src []float32)
	geluGrad    func(dx, dy, x []float32)
}

// goImpl is the portable implementation, supported everywhere.
var goImpl = &impl{
	name:        "go",
	gemm:        gemmGo,
	addBias:     addBiasGo,
	sumRows:     sumRowsGo,
	relu:        reluGo,
	reluGrad:    reluGradGo,
	axpy:        axpyGo,
	scale:       scaleGo,
	sgdMomentum: sgdMomentumGo,
	adamW:       adamWGo,
	tanh:        tanhGo,
	tanhGrad:    tanhGradGo,
	gelu:        geluGo,
	geluGrad:    geluGradGo,
}

// impls lists the implementations this machine supports, fastest first;
// the portable one is always last. Tests run every entry.
var impls = append(archImpls(), goImpl)

// active is the implementation the exported functions use.
var active = impls[0]

// Path names the implementation the kernels use on this machine: "avx512",
// "avx2" or "go". It is meant for benchmark and log output.
func Path() string { return active.name }
