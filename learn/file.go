package learn

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
)

// magic starts every model file; the digit is the format's version.
const magic = "factdesk-model-1\n"

// Encode writes m in the model file format: gzip of the classes, the bias
// and, for every feature in hash order, its weights quantised to 16 bits
// against the largest weight. Weights that quantise to zero are dropped.
// The same model always gives the same bytes.
func (m *Model) Encode(w io.Writer) error {
	var buf bytes.Buffer
	buf.WriteString(magic)
	putUvarint(&buf, uint64(len(m.classes)))
	for _, c := range m.classes {
		putUvarint(&buf, uint64(len(c)))
		buf.WriteString(c)
	}
	for _, b := range m.bias {
		binary.Write(&buf, binary.LittleEndian, math.Float32bits(b))
	}
	top := float32(0)
	for _, e := range m.entries {
		top = max(top, float32(math.Abs(float64(e.weight))))
	}
	scale := top / math.MaxInt16
	if scale == 0 {
		scale = 1
	}
	binary.Write(&buf, binary.LittleEndian, math.Float32bits(scale))
	keys := m.sortedKeys()
	type qe struct {
		class uint16
		q     int16
	}
	var kept []uint64
	runs := map[uint64][]qe{}
	for _, h := range keys {
		r, _ := m.index.get(h)
		var qs []qe
		for _, e := range m.entries[r.start : r.start+r.n] {
			if q := int16(math.Round(float64(e.weight / scale))); q != 0 {
				qs = append(qs, qe{e.class, q})
			}
		}
		if len(qs) > 0 {
			kept = append(kept, h)
			runs[h] = qs
		}
	}
	putUvarint(&buf, uint64(len(kept)))
	prev := uint64(0)
	for _, h := range kept {
		putUvarint(&buf, h-prev)
		prev = h
		putUvarint(&buf, uint64(len(runs[h])))
		for _, e := range runs[h] {
			putUvarint(&buf, uint64(e.class))
			putVarint(&buf, int64(e.q))
		}
	}
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write model: %w", err)
	}
	return zw.Close()
}

func (m *Model) sortedKeys() []uint64 {
	keys := make([]uint64, 0, m.index.n)
	m.index.each(func(h uint64, _ run) { keys = append(keys, h) })
	slices.Sort(keys)
	return keys
}

// Decode reads a model written by Encode.
func Decode(r io.Reader) (*Model, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("read model: %w", err)
	}
	br := bufio.NewReader(zr)
	head := make([]byte, len(magic))
	if _, err := io.ReadFull(br, head); err != nil || string(head) != magic {
		return nil, errors.New("read model: not a factdesk model file")
	}
	fail := func(err error) (*Model, error) { return nil, fmt.Errorf("read model: %w", err) }
	n, err := binary.ReadUvarint(br)
	if err != nil || n == 0 || n > math.MaxUint16 {
		return nil, errors.New("read model: bad class count")
	}
	m := &Model{}
	for range n {
		l, err := binary.ReadUvarint(br)
		if err != nil || l > 1<<10 {
			return nil, errors.New("read model: bad class name")
		}
		name := make([]byte, l)
		if _, err := io.ReadFull(br, name); err != nil {
			return fail(err)
		}
		m.classes = append(m.classes, string(name))
	}
	m.bias = make([]float32, n)
	for i := range m.bias {
		var bits uint32
		if err := binary.Read(br, binary.LittleEndian, &bits); err != nil {
			return fail(err)
		}
		m.bias[i] = math.Float32frombits(bits)
	}
	var bits uint32
	if err := binary.Read(br, binary.LittleEndian, &bits); err != nil {
		return fail(err)
	}
	scale := math.Float32frombits(bits)
	count, err := binary.ReadUvarint(br)
	if err != nil {
		return fail(err)
	}
	// The count only sizes the map: a damaged file must not make it huge.
	m.index = newTable(int(min(count, 1<<22)))
	h := uint64(0)
	for range count {
		d, err := binary.ReadUvarint(br)
		if err != nil {
			return fail(err)
		}
		h += d
		k, err := binary.ReadUvarint(br)
		if err != nil || k == 0 || k > n {
			return nil, errors.New("read model: bad feature")
		}
		m.index.put(h, run{start: int32(len(m.entries)), n: int32(k)})
		for range k {
			c, err := binary.ReadUvarint(br)
			if err != nil || c >= n {
				return nil, errors.New("read model: bad class of a weight")
			}
			q, err := binary.ReadVarint(br)
			if err != nil {
				return fail(err)
			}
			m.entries = append(m.entries, entry{class: uint16(c), weight: float32(q) * scale})
		}
	}
	return m, nil
}

// Quantized returns m as it reads back from its file: the model to
// measure, since it is the one the binary will run.
func (m *Model) Quantized() (*Model, error) {
	var buf bytes.Buffer
	if err := m.Encode(&buf); err != nil {
		return nil, err
	}
	return Decode(&buf)
}

// MustDecode decodes an embedded model; a model that does not decode is a
// build defect, so it panics.
func MustDecode(b []byte) *Model {
	m, err := Decode(bytes.NewReader(b))
	if err != nil {
		panic(err)
	}
	return m
}

func putUvarint(buf *bytes.Buffer, v uint64) {
	var b [binary.MaxVarintLen64]byte
	buf.Write(b[:binary.PutUvarint(b[:], v)])
}

func putVarint(buf *bytes.Buffer, v int64) {
	var b [binary.MaxVarintLen64]byte
	buf.Write(b[:binary.PutVarint(b[:], v)])
}
