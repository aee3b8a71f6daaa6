package nn

import "fmt"

// TernaryPerByte is how many ternary codes PackTernary stores in a byte.
const TernaryPerByte = 5

// PackedTernaryLen returns the bytes PackTernary needs for n codes,
// ceil(n/5).
func PackedTernaryLen(n int) int { return (n + TernaryPerByte - 1) / TernaryPerByte }

// PackTernary packs ternary codes (each −1, 0 or 1) base 3, five to a
// byte: byte j = Σ_{i<5} (c[5j+i]+1)·3^i, the last byte padded with code
// 0 (digit 1). It returns dst extended by PackedTernaryLen(len(codes))
// bytes, and panics on a code outside {−1, 0, 1}.
func PackTernary(dst []byte, codes []int8) []byte {
	for j := 0; j < len(codes); j += TernaryPerByte {
		var b, pow byte = 0, 1
		for i := range TernaryPerByte {
			c := int8(0)
			if j+i < len(codes) {
				c = codes[j+i]
			}
			if c < -1 || c > 1 {
				panic(fmt.Sprintf("nn: PackTernary: code %d at %d is not ternary", c, j+i))
			}
			b += byte(c+1) * pow
			pow *= 3
		}
		dst = append(dst, b)
	}
	return dst
}

// UnpackTernary decodes n codes packed by PackTernary into dst (len n).
// It fails if packed is not PackedTernaryLen(n) bytes, if a byte exceeds
// 242 (3^5 − 1), or if the padding of the last byte is not code 0.
func UnpackTernary(dst []int8, packed []byte) error {
	n := len(dst)
	if len(packed) != PackedTernaryLen(n) {
		return fmt.Errorf("%d packed bytes for %d ternary codes, want %d", len(packed), n, PackedTernaryLen(n))
	}
	for j, b := range packed {
		if b > 242 {
			return fmt.Errorf("packed byte %d is %d, want at most 242", j, b)
		}
		for i := range TernaryPerByte {
			c := int8(b%3) - 1
			b /= 3
			if k := j*TernaryPerByte + i; k < n {
				dst[k] = c
			} else if c != 0 {
				return fmt.Errorf("packed byte %d pads code %d after the last code, want 0", j, c)
			}
		}
	}
	return nil
}
