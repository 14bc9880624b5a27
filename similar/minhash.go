package similar

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"
)

// ShingleSize is the number of words in a shingle. Two rather than three:
// a changed word breaks k shingles, so in a 20-word sentence one changed
// word leaves a Jaccard of 0.81 with pairs against 0.71 with triples, and
// in a 6-word sentence 0.43 against 0.14, and the reworded claims of the
// tests keep 0.44-0.60 of their pairs. Pairs of words still keep
// unrelated news sentences apart: 99.9% of pairs of them share under 0.08
// (TestShingleSeparation).
const ShingleSize = 2

// Shingles returns the distinct runs of ShingleSize consecutive words of
// the normalized text, each as the words joined by a space, after a light
// stemming that drops a final "s" from words longer than three letters
// (not "ss"), so that plurals and possessives ("sanctions", "Russia's")
// shingle like their stems. A text of one word is its own single shingle;
// an empty text has none.
func Shingles(text string) []string {
	words := Words(text)
	if len(words) == 0 {
		return nil
	}
	for i, w := range words {
		words[i] = stem(w)
	}
	if len(words) < ShingleSize {
		return []string{strings.Join(words, " ")}
	}
	seen := make(map[string]bool, len(words))
	out := make([]string, 0, len(words)-ShingleSize+1)
	for i := 0; i+ShingleSize <= len(words); i++ {
		s := strings.Join(words[i:i+ShingleSize], " ")
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// shingleHashes returns the distinct FNV-1a hashes of the Shingles of
// text, computed without building the shingle strings.
func shingleHashes(text string) []uint64 {
	words := Words(text)
	if len(words) == 0 {
		return nil
	}
	n := max(1, len(words)-ShingleSize+1)
	out := make([]uint64, 0, n)
	for i := range n {
		h := fnvOffset
		for k, w := range words[i:min(i+ShingleSize, len(words))] {
			if k > 0 {
				h = fnvAdd(h, " ")
			}
			h = fnvAdd(h, stem(w))
		}
		out = append(out, h)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// stem drops a final "s" from a word of more than three bytes that does
// not end in "ss".
func stem(w string) string {
	if len(w) > 3 && w[len(w)-1] == 's' && w[len(w)-2] != 's' {
		return w[:len(w)-1]
	}
	return w
}

// Jaccard is the exact Jaccard similarity of the shingle sets of a and b:
// shared shingles over all distinct shingles, 0 when either has none.
func Jaccard(a, b string) float64 {
	sa, sb := Shingles(a), Shingles(b)
	if len(sa) == 0 || len(sb) == 0 {
		return 0
	}
	set := make(map[string]bool, len(sa))
	for _, s := range sa {
		set[s] = true
	}
	shared := 0
	for _, s := range sb {
		if set[s] {
			shared++
		}
	}
	return float64(shared) / float64(len(sa)+len(sb)-shared)
}

// Signature sizes. With NumBands bands of RowsPerBand rows, two texts
// whose shingle sets have Jaccard similarity s share at least one band key
// with probability 1 - (1 - s^RowsPerBand)^NumBands: 0.88 at s = 0.4, 0.94
// at the 0.44 the tests' least similar reworded claim reaches, 0.986 at 0.5
// and 0.9996 at 0.6. Unrelated news sentences share a key so rarely that a
// lookup among a million stored sentences rescores about 120 chance
// candidates (TestBandsCollision). Four rows of 32 bands would cut those to
// about 20 but find only 87% of pairs at 0.5 and 70% at 0.44; three rows
// of 42 bands would find 99.6% at 0.5 for 150 chance candidates and ten
// more keys to store per sentence.
const (
	NumHashes   = NumBands * RowsPerBand // hash functions in a signature
	NumBands    = 32                     // band keys per signature
	RowsPerBand = 3                      // hash values per band
)

// Signature is the MinHash signature of a text: for each of NumHashes
// hash functions, the least hash of its shingles. The share of positions
// where two signatures agree estimates the Jaccard similarity of their
// shingle sets. The hash functions are fixed, so signatures stored today
// compare with signatures computed later.
type Signature [NumHashes]uint32

// empty is the signature of a text without shingles.
var empty = func() Signature {
	var s Signature
	for i := range s {
		s[i] = math.MaxUint32
	}
	return s
}()

// seeds are the fixed seeds of the hash functions, from splitmix64
// started at a constant.
var seeds = func() [NumHashes]uint64 {
	var out [NumHashes]uint64
	x := uint64(0x6661637464657368) // "factdesh"
	for i := range out {
		x += 0x9e3779b97f4a7c15
		out[i] = mix(x)
	}
	return out
}()

// Sign returns the MinHash signature of text.
func Sign(text string) Signature {
	sig := empty
	for _, h := range shingleHashes(text) {
		for i := range sig {
			if v := uint32(mix(h ^ seeds[i])); v < sig[i] {
				sig[i] = v
			}
		}
	}
	return sig
}

// Empty reports whether the signature is that of a text without words.
func (s Signature) Empty() bool {
	return s == empty
}

// Similarity estimates the Jaccard similarity of the two texts' shingle
// sets: the share of hash functions on which the signatures agree. It is 0
// when either signature is empty.
func (s Signature) Similarity(o Signature) float64 {
	if s.Empty() || o.Empty() {
		return 0
	}
	same := 0
	for i := range s {
		if s[i] == o[i] {
			same++
		}
	}
	return float64(same) / NumHashes
}

// Bands returns the signature's NumBands locality-sensitive keys: band b
// is a hash of b and the b-th run of RowsPerBand values. Two signatures that share any
// key are candidates for the same claim. The band number is part of the
// key, so all keys can live in one indexed column; stored in a signed
// 64-bit column (SQLite INTEGER, PostgreSQL bigint) they keep their bits:
// int64(key). An empty signature has no keys.
func (s Signature) Bands() []uint64 {
	if s.Empty() {
		return nil
	}
	keys := make([]uint64, NumBands)
	for b := range keys {
		h := uint64(b+1) * 0x9e3779b97f4a7c15
		for _, v := range s[b*RowsPerBand : (b+1)*RowsPerBand] {
			h = mix(h ^ uint64(v))
		}
		keys[b] = h
	}
	return keys
}

// Bands returns the band keys of sig; see Signature.Bands.
func Bands(sig Signature) []uint64 {
	return sig.Bands()
}

// Bytes encodes the signature as 4·NumHashes bytes, little-endian, for a
// blob column.
func (s Signature) Bytes() []byte {
	out := make([]byte, 4*NumHashes)
	for i, v := range s {
		binary.LittleEndian.PutUint32(out[4*i:], v)
	}
	return out
}

// ParseSignature decodes what Bytes encoded.
func ParseSignature(b []byte) (Signature, error) {
	var s Signature
	if len(b) != 4*NumHashes {
		return s, fmt.Errorf("parse signature: got %d bytes, want %d", len(b), 4*NumHashes)
	}
	for i := range s {
		s[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	return s, nil
}

// mix is the finaliser of splitmix64: a bijection of 64-bit values whose
// output bits each depend on every input bit.
func mix(x uint64) uint64 {
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

const fnvOffset = uint64(14695981039346656037)

// fnvAdd continues the 64-bit FNV-1a hash h with the bytes of s.
func fnvAdd(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
