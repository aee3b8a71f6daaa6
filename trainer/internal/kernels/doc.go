// Package kernels holds the compute kernels the trainer's layers run on: a
// float32 general matrix multiply (GEMM), the element-wise kernels of a
// training step (bias, activations and their gradients, reductions,
// optimizer updates), and the exact integer GEMMs of quantized inference
// (int8 × int8 and int8 × ternary) with their row quantizers.
//
// Matrices are row-major: element (i, j) of a matrix with leading dimension
// ld is at index i*ld+j. A dense layer storing W as in×out calls Gemm three
// times per step: Y = X·W (no transposes), dW = Xᵀ·dY (transA) and
// dX = dY·Wᵀ (transB).
//
// # Implementations
//
// Each kernel has a portable Go implementation; where the CPU supports it, a
// Go-assembly implementation is chosen once at start-up through
// golang.org/x/sys/cpu. [Path] names the choice: "avx512" (AVX-512 F, BW,
// DQ, VL), "avx2" (AVX2 and FMA) or "go" (any other CPU, or the purego
// build tag). The dispatch is a table of function values (impl in
// dispatch.go) so that further paths, such as bf16 on AMX tiles, are added
// without changing callers. All kernels are safe for concurrent use on
// disjoint outputs; none starts goroutines: one trial trains on one
// goroutine, and trials run side by side.
//
// # GEMM
//
// The assembly GEMMs follow Goto and van de Geijn: C is computed in
// micro-tiles held in registers, over blocks of k (kc = 256) and of n
// (nc = 512) so that the kc×nc block of B (512 KiB) stays in L2 and each
// micro-panel of A (kc×14, 14 KiB) stays in L1 while the kernel sweeps
// across the B block.
//
// # The blocking skeleton
//
// One loop nest serves every assembly GEMM of the package, float32 and
// integer: blocking.sweep (blocking.go). It runs the blocks of n, then of
// k, packs the block of B (or reads it in place, or, for the integer
// GEMMs, takes the panels packed ahead of time), then for each MR-row
// panel of A packs it or reads it in place, picks the micro-kernel by the
// panel's row count and the tile's width, and runs the tiles across the
// block; a tile the kernels cannot store exactly goes through a scratch
// tile. A blocking is a value of one instruction set: tile and block
// sizes, tables of kernels by row count (packed A, A in place, and the
// narrow variants), the packers, and whether the kernels mask columns and
// store exact row counts. The integer GEMMs, whose weights are packed
// ahead of time, run the nest's degenerate case, blocking.sweepPanels: nc
// = NR (one panel of weights in cache while every row panel passes over
// it), k unsplit, nothing packed, the same tiles in the same order as the
// general nest would run them, with less bookkeeping a tile (the general
// nest measured 5% slower end to end at int8, H = 1024, batch 256).
//
// Every micro-kernel has one contract and frame, tileKernel: C = alpha·(A·B
// − rs) + beta·C over mr rows and the columns of a mask; the float32
// kernels use alpha, beta, mr and mask, the integer ones the row
// corrections rs. The skeleton is generic over the element types only
// ((float32, float32, float32) and (int8, byte, int32)), never over a
// kernel type: with Go's GC-shape stenciling a method call on a type
// parameter goes through the dictionary even when one type has the shape,
// whereas the kernels here are func values in the blocking, called
// directly, which costs what the single indirect call of an assembly
// kernel always cost. The packing buffers are kept in a sync.Pool per
// blocking, whose per-P cache takes and returns a buffer without an
// atomic operation (a mutex-guarded list cost two lock/unlock pairs a
// call); a call at least once between two garbage collections never
// allocates, and a call with nothing to pack on kernels that mask takes no
// buffer at all.
//
// Float32 paths:
//
//   - avx512: a 14×32 micro-kernel (28 zmm accumulators; per k, two
//     32-float loads of B, 14 broadcasts of A and 28 FMAs, unrolled twice,
//     with prefetch of B). Edge columns are handled with k-register masks on
//     the loads of B and the loads and stores of C, edge rows with a row
//     count, so every shape runs the same code and nothing is read past a
//     matrix. Variants: 14×16 for outputs of at most 16 columns (the N=10
//     classifier head), and 8- and 4-row kernels for the last rows of C
//     (batch 128 = 9·14 + 2, batch 32 = 2·14 + 4), over a packed A or,
//     for a last panel of exactly 8 or 4 rows, over A in place. An
//     untransposed B is read in place (its rows are contiguous; as fast as
//     packing or faster at every measured shape); a transposed B is packed
//     into 32-column panels with 16×16 in-register transposes. A
//     transposed A is packed with masked copies, an untransposed A with the
//     same transposes; when C has at most 64 columns, A is read in place by
//     strided variants of the kernels instead, so the forward product and
//     the weight gradient of a 64→32 layer at batch 32 (32×64·64×32 and
//     64×32·32×32) pack nothing and take no buffer.
//   - avx2: a 6×16 micro-kernel (12 ymm accumulators). An untransposed A
//     and B are read in place (the last, partial panel of B is packed); a
//     transposed B is packed with 8×8 in-register transposes, a transposed
//     A in Go; edge tiles go through a scratch tile.
//   - go: four rows of C per pass over a row of B, or four dot products at
//     a time for a transposed B.
//
// k and n are split into equal blocks (k = 784 runs as 4×196). On this
// machine (an Intel Xeon with AVX-512; fp32 FMA peak 239-240 GFLOP/s per
// core by an independent C loop of FMA chains) the avx512 path runs 512³
// at 190 GFLOP/s on its fastest call and 175 over CPU time (79% and 73% of
// that peak); BenchmarkGemm reports every MLP shape per path,
// BenchmarkFMAPeak the peak of the moment from Go, and
// BenchmarkBlockingOverhead what the skeleton costs a call apart from the
// kernels (44-52 ns at batch 32).
//
// # The generator
//
// The assembly is printed by one program, gen_asm.go (go generate), from
// one description per instruction set (gen_isa.go: register file, vector
// width, the zeroing, load, store, and, lane-broadcast instructions, the
// float32 and integer tile shapes, whether k-register masks handle edges,
// the dot-product step). One printer (gen_gemm.go) emits every float32
// micro-kernel of every set from its description, another (gen_qgemm.go)
// every integer micro-kernel, and both declare their kernels in
// kernels_decl_amd64.go; adding a set is adding a description. Moving from
// a generator per kernel family to this one left every kernel's machine
// code as it was (compared by disassembly); the common frame moved the
// integer kernels' argument offsets and nothing else.
//
// # Integer GEMM
//
// GemmS8S8 and GemmTernaryS8 multiply int8 activations (m×k, row-major)
// by a k×n weight matrix packed once by PackS8 or PackTernary, into int32
// (m×n, row-major). The arithmetic is exact: every path returns the same
// integers as the naive triple loop, for the accepted code ranges:
//
//   - activations in [−127, 127] (−128 is not accepted: the AVX2 int8
//     kernel negates activations, and −(−128) does not fit a byte);
//   - int8 weights in [−127, 127] (PackS8 rejects −128);
//   - ternary weights in {−1, 0, 1} (PackTernary rejects anything else);
//   - k ≤ MaxQuantK, so that |Σ a·w| ≤ k·127² fits an int32. The int8
//     partial sums may wrap, but every step is exact modulo 2³², so the
//     final sum is exact whenever the true sum fits; the ternary sums are
//     bounded below 2³¹ (see Layouts).
//
// Paths: [QPath] names the path, chosen once at start-up like the
// float32 GEMM:
//
//   - "avx512vnni" (AVX-512 F, BW, VL and VNNI): VPDPBUSD multiplies four
//     unsigned bytes by four signed bytes and adds the sum to an int32
//     lane. The weights are the unsigned operand, stored as u = w + o
//     (o = 128 for int8, so u ∈ [1, 255]; o = 1 for ternary, so
//     u ∈ {0, 1, 2}), and the activations the signed one, read in place by
//     an embedded broadcast of four bytes. Then Σ a·u = Σ a·w + o·Σ a, and
//     the kernel subtracts o·rowsum(A), computed per call (m·k additions,
//     against m·n·k multiply-adds). A 6×64 micro-tile (24 zmm
//     accumulators); rows 1 to 5 have kernels of their own, so m = 1 is a
//     1×64 GEMV over the same panels.
//   - "avx2" (AVX2): VPMADDUBSW multiplies unsigned by signed bytes and
//     adds adjacent pairs into a saturating int16; VPMADDWD by ones then
//     widens pairs of int16 into int32 exactly. Saturation cannot occur:
//     for ternary, the bytes multiplied are u·4^L ≤ 128 (see Layouts) and
//     |a| ≤ 127, so a pair sums to at most 32512; for int8, the weights
//     are stored as they are and the
//     kernel multiplies |w| (VPABSB, ≤ 127) by a·sign(w) (VPSIGNB, ≤ 127
//     in magnitude since a ≠ −128), so a pair sums to at most
//     2·127·127 = 32258 < 32767. A 4×16 micro-tile (8 ymm accumulators).
//   - "go": the portable loop over rows of the weights, on weights kept as
//     plain int8 (ternary too).
//
// Layouts: the packed weights are column panels of NR columns (64 on
// avx512vnni, 16 on avx2), k padded with zeros to a multiple of 4; panel
// p holds, for each quad q of k, NR columns × 4 consecutive k (on
// avx512vnni a last panel of at most 16 columns is packed 16 wide and run
// by 16-column kernels, so the 10-class head does not compute 64):
//
//   - int8: byte ((p·Q + q)·NR + j)·4 + t is u(W[4q+t][p·NR+j]) (Q quads);
//   - ternary: 2-bit codes u = w + 1, NR bytes a quad (a quarter of the
//     int8 panel). Each vector of V bytes (V = 64 or 32) of expanded codes
//     is stored in V/4 bytes: expanded byte L·V/4 + b is bits 2L..2L+1 of
//     stored byte b. The kernel broadcasts the V/4 bytes to every 128-bit
//     (64-bit) lane and masks lane L with 3·4^L, one instruction, which
//     leaves u·4^L (at most 128) in each byte; at the end it shifts the
//     lane's int32 sums right by 2L bits, an exact division since every
//     term is a multiple of 4^L. The scaled sums stay below
//     k·2·64·127 < 2³¹ for k ≤ MaxQuantK, and on avx2 a VPMADDUBSW pair
//     stays at most 2·128·127 = 32512 < 32767.
//
// This compute layout is independent of any storage format on disk.
//
// The integer GEMMs run on the blocking skeleton (qpath.gemm sets up the
// row corrections and calls blocking.sweepPanels): the panels in the outer
// loop and blocks of 6 (4) rows inside, so that one panel of weights (k·64
// bytes of int8, k·16 of ternary) stays in L1 or L2 while every row block
// passes over it; a partial last panel goes through the scratch tile, so
// nothing is written outside C. When k is not a multiple of 4, A is first
// copied with zero-padded rows, so no kernel reads past a row.
//
// QuantizeRowS8 (absmax scale and codes rounded to nearest even) and
// DequantizeRow (int32 back to float32 with per-output scales and bias)
// run 16 lanes a step with a masked tail on avx512vnni, in Go elsewhere;
// both give the same bits as their definitions in Go.
//
// The integer micro-kernels, the row sums and the row quantizers are
// printed by gen_qgemm.go (through gen_asm.go): each micro-kernel from the
// instruction set's description and a weight kind (how a quad of weights
// is loaded). The VNNI kernels broadcast each row's four bytes of A into a
// register once per quad for the four products (an embedded broadcast
// would load them four times: 1.2× slower), and the one-row kernels keep
// two sets of accumulators.
// On this machine (VPDPBUSD peak 884-885 GOP/s per core by an independent
// C loop) BenchmarkQGemm (-cpu 1, fastest call, medians of 3) measures
// int8 at 720-805 GOP/s and ternary at 745-793 on 256×784×256,
// 256×1024×1024 and 256×4096×4096 (81-91% of that peak), 608 and 766 at
// 32×4096×4096, and at 1×4096×4096, which reads the weights from memory
// (16 MiB of int8, 4 MiB of ternary codes), 59 (int8) and 252 (ternary);
// avx2 142-225 (medians of eight on the loaded machine); go 3.2-4.0 (an
// earlier measurement).
//
// # Element-wise kernels
//
// AddBias, SumRows, ReLU, ReLUGrad, Axpy, Scale, SGDMomentum and AdamW are
// assembly on both paths: avx512 (gen_elementwise.go) runs 16 lanes per
// step and one k-masked step for the tail; avx2 (gen_elementwise2.go) runs
// 8 lanes per step and one VMASKMOVPS step. Neither reads or writes past
// the slices. Every one beats the Go loop measurably (BenchmarkElementwise,
// -cpu 1, thread-CPU GB/s, Go → avx2 → avx512 on this machine's Xeon):
// AddBias 11 → 54 → 87, SumRows 5 → 30 → 59, ReLU 6 → 72 → 64, ReLUGrad
// 12 → 70 → 71, Axpy 17 → 36 → 38, Scale 18 → 49 → 50, SGDMomentum
// 16 → 40 → 38, AdamW 5 → 35 → 34 (the optimizer and Axpy figures are on
// 401408 values, where L3 bandwidth bounds both vector paths). Axpy,
// SGDMomentum and AdamW contract multiply-adds into FMAs, so their results
// may differ from the Go loops in the last bit.
//
// # Activations
//
// Tanh, TanhGrad, GELU (the exact, erf form) and GELUGrad compute float32
// approximations written out in activation_go.go: exp by range reduction
// and a degree-6 polynomial, tanh as a Taylor polynomial near 0 and
// (1−e)/(1+e) elsewhere, Φ by Abramowitz and Stegun 7.1.26. The assembly
// (gen_activation.go) evaluates the same formulas with FMAs, 16 or 8 lanes
// per step and a masked tail. Against float64 math over [-10, 10] and
// special values, every path is within 1.2e-7 (Tanh), 1.8e-7·max(1, |x|)
// (GELU) and 3.4e-7·max(1, |x|) (GELUGrad), well inside the tested bounds
// of 2e-6 and 1e-5; ±Inf saturate and NaN propagates. On 65536 values
// (BenchmarkActivation, -cpu 1), ns per value, float64 loop → go → avx2 →
// avx512: Tanh 43 → 15 → 1.5 → 0.8, GELU 61 → 23 → 1.7 → 0.9, GELUGrad
// 73 → 24 → 1.7 → 0.9.
package kernels
