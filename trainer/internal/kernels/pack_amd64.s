//go:build !purego

#include "textflag.h"

// The copying packers of the AVX-512 GEMM (see packA512 and packB512 in
// gemm_amd64.go): A micro-panels of 14 rows from a transposed A and B panels
// of 32 columns from an untransposed B. The transposing packer, packT16, is
// generated into gemm_amd64.s.

// func packAT512(dst, a *float32, lda, kc int, rowMask uint32)
// dst[p·14+r] = a[p·lda+r] for the rows r in rowMask, else 0; p < kc.
TEXT ·packAT512(SB), NOSPLIT, $0-36
	MOVQ dst+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), AX
	SHLQ $2, AX
	MOVQ kc+24(FP), CX
	MOVL rowMask+32(FP), BX
	KMOVW BX, K1
	MOVL $0x3fff, DX
	KMOVW DX, K3
	TESTQ CX, CX
	JEQ packAT512_done

packAT512_loop:
	VMOVUPS.Z (SI), K1, Z0
	VMOVUPS Z0, K3, (DI)
	ADDQ AX, SI
	ADDQ $56, DI
	DECQ CX
	JNZ packAT512_loop

packAT512_done:
	VZEROUPPER
	RET

// func packBN512(dst, b *float32, ldb, kc int, colMask uint32)
// dst[p·32+j] = b[p·ldb+j] for the columns j in colMask, else 0; p < kc.
TEXT ·packBN512(SB), NOSPLIT, $0-36
	MOVQ dst+0(FP), DI
	MOVQ b+8(FP), SI
	MOVQ ldb+16(FP), AX
	SHLQ $2, AX
	MOVQ kc+24(FP), CX
	MOVL colMask+32(FP), BX
	KMOVW BX, K1
	SHRL $16, BX
	KMOVW BX, K2
	TESTQ CX, CX
	JEQ packBN512_done

packBN512_loop:
	VMOVUPS.Z (SI), K1, Z0
	VMOVUPS.Z 64(SI), K2, Z1
	VMOVUPS Z0, (DI)
	VMOVUPS Z1, 64(DI)
	ADDQ AX, SI
	ADDQ $128, DI
	DECQ CX
	JNZ packBN512_loop

packBN512_done:
	VZEROUPPER
	RET
