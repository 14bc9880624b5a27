package postag

// Features are hashed as they are built, without a string for each: a
// feature's hash is learn.Hash of its name and its values, each value
// after a featureSep, computed a piece at a time.

const (
	fnvOffset  = 14695981039346656037
	fnvPrime   = 1099511628211
	featureSep = 0x1f // ASCII unit separator: in no word
)

// fnv is a 64-bit FNV-1a hash being built.
type fnv uint64

func (h fnv) str(s string) fnv {
	for i := 0; i < len(s); i++ {
		h = (h ^ fnv(s[i])) * fnvPrime
	}
	return h
}

func (h fnv) bytes(b []byte) fnv {
	for _, c := range b {
		h = (h ^ fnv(c)) * fnvPrime
	}
	return h
}

func (h fnv) byte(b byte) fnv { return (h ^ fnv(b)) * fnvPrime }

// with adds a value: a separator and then s.
func (h fnv) with(s string) fnv { return h.byte(featureSep).str(s) }

// withBytes adds a value given as bytes.
func (h fnv) withBytes(b []byte) fnv { return h.byte(featureSep).bytes(b) }

// name starts the hash of a feature.
func name(n string) fnv { return fnv(fnvOffset).str(n) }

// Padding around a sentence, as in Honnibal's tagger.
const (
	start1, start2 = "-START-", "-START2-"
	end1, end2     = "-END-", "-END2-"
)

// context is what the features of a sentence are made of, computed once
// per sentence. Index i+2 is the sentence's i-th word: two pads each side.
type context struct {
	forms  []string // CoreNLP forms
	norms  []string // normalised words
	shapes []int    // shapes[w]:shapes[w+1] is word w's shape in shapeBuf
	flags  []byte
	buf    []byte
}

func newContext(forms []string) *context {
	n := len(forms) + 4
	c := &context{
		forms:  make([]string, 0, n),
		norms:  make([]string, 0, n),
		shapes: make([]int, 1, n+1),
		flags:  make([]byte, 0, n),
		buf:    make([]byte, 0, 4*n),
	}
	pad := func(p string) {
		c.forms = append(c.forms, p)
		c.norms = append(c.norms, p)
		c.buf = append(c.buf, p...)
		c.shapes = append(c.shapes, len(c.buf))
		c.flags = append(c.flags, 0)
	}
	pad(start2)
	pad(start1)
	for i, f := range forms {
		var flags int
		c.buf, flags = wordInfo(f, i == 0, c.buf)
		c.forms = append(c.forms, f)
		c.norms = append(c.norms, normWord(f))
		c.shapes = append(c.shapes, len(c.buf))
		c.flags = append(c.flags, '0'+byte(flags))
	}
	pad(end1)
	pad(end2)
	return c
}

func (c *context) shape(w int) []byte { return c.buf[c.shapes[w]:c.shapes[w+1]] }

// features appends the hashed features of the i-th word, given the tags
// guessed for the two words before it and the last word before it
// tagged as a verb.
func (c *context) features(dst []uint64, i int, prev, prev2, verb string) []uint64 {
	w := i + 2
	form, norm := c.forms[w], c.norms[w]
	return append(dst,
		uint64(name("i suffix").with(suffix(form, 3))),
		uint64(name("i suffix4").with(suffix(form, 4))),
		uint64(name("i pref1").with(prefix(form, 1))),
		uint64(name("i-1 tag").with(prev)),
		uint64(name("i-2 tag").with(prev2)),
		uint64(name("i tag+i-2 tag").with(prev).with(prev2)),
		uint64(name("i word").with(norm)),
		uint64(name("i-1 tag+i word").with(prev).with(norm)),
		uint64(name("i-1 word").with(c.norms[w-1])),
		uint64(name("i-1 suffix").with(suffix(c.norms[w-1], 3))),
		uint64(name("i-2 word").with(c.norms[w-2])),
		uint64(name("i+1 word").with(c.norms[w+1])),
		uint64(name("i+1 suffix").with(suffix(c.norms[w+1], 3))),
		uint64(name("i+2 word").with(c.norms[w+2])),
		uint64(name("i-1 word+i word").with(c.norms[w-1]).with(norm)),
		uint64(name("i word+i+1 word").with(norm).with(c.norms[w+1])),
		uint64(name("i shape").withBytes(c.shape(w))),
		uint64(name("i-1 shape").withBytes(c.shape(w-1))),
		uint64(name("i+1 shape").withBytes(c.shape(w+1))),
		uint64(name("i flags").byte(featureSep).byte(c.flags[w])),
		uint64(name("verb+i word").with(verb).with(norm)),
	)
}
