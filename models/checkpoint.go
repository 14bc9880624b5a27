package models

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/x509"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
)

// A checkpoint is the signed list of the heads of every audit chain at one
// moment. The chains prove that nothing inside them was changed, but not
// that their tail was not cut off: whoever can write the database can
// delete the last events and set the head back to the one before, and the
// chain still verifies. A checkpoint kept outside the database, signed
// with a key the database never sees, proves that each chain still
// extends the head it had then.

// CheckpointVersion is the version of the checkpoint format and of its
// signed encoding.
const CheckpointVersion = 1

// ChainHead is the head of one audit chain: the sequence number and hash
// of its last event. ArticleID 0 is the global chain (users, tokens,
// sources). In JSON it is the array [article_id, seq, hash].
type ChainHead struct {
	ArticleID int64
	Seq       int64
	Hash      string
}

// MarshalJSON writes the head as [article_id, seq, hash].
func (h ChainHead) MarshalJSON() ([]byte, error) {
	hash, err := json.Marshal(h.Hash)
	if err != nil {
		return nil, err
	}
	return fmt.Appendf(nil, "[%d,%d,%s]", h.ArticleID, h.Seq, hash), nil
}

// UnmarshalJSON reads [article_id, seq, hash].
func (h *ChainHead) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil || len(raw) != 3 {
		return fmt.Errorf("a chain head is [article_id, seq, hash], not %s", b)
	}
	if err := json.Unmarshal(raw[0], &h.ArticleID); err != nil {
		return fmt.Errorf("chain head %s: article_id: %w", b, err)
	}
	if err := json.Unmarshal(raw[1], &h.Seq); err != nil {
		return fmt.Errorf("chain head %s: seq: %w", b, err)
	}
	if err := json.Unmarshal(raw[2], &h.Hash); err != nil {
		return fmt.Errorf("chain head %s: hash: %w", b, err)
	}
	return nil
}

// Checkpoint is a signed record of the heads of every audit chain, read in
// one snapshot of the database.
type Checkpoint struct {
	Version   int         `json:"version"`
	TakenAt   time.Time   `json:"taken_at"`
	PublicKey string      `json:"public_key"` // standard base64 of the raw Ed25519 public key
	Signature string      `json:"signature"`  // standard base64 of the Ed25519 signature of SignedBytes
	Heads     []ChainHead `json:"heads"`      // sorted by article id; 0, the global chain, first
}

// SignedBytes is the canonical encoding the signature covers: a line for
// the format and version, one for the time, one for the public key, then
// one line "article_id seq hash" per head, in the order of Heads (sorted).
// Changing it invalidates every kept checkpoint: add a version instead.
func (c *Checkpoint) SignedBytes() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "factdesk audit checkpoint %d\n", c.Version)
	fmt.Fprintf(&b, "taken_at %s\n", c.TakenAt.UTC().Format(time.RFC3339Nano))
	fmt.Fprintf(&b, "public_key %s\n", c.PublicKey)
	for _, h := range c.Heads {
		fmt.Fprintf(&b, "%d %d %s\n", h.ArticleID, h.Seq, h.Hash)
	}
	return b.Bytes()
}

// SignCheckpoint returns the checkpoint of heads taken at at, signed with
// key. heads is sorted in place.
func SignCheckpoint(key ed25519.PrivateKey, at time.Time, heads []ChainHead) *Checkpoint {
	sort.Slice(heads, func(i, j int) bool { return heads[i].ArticleID < heads[j].ArticleID })
	c := &Checkpoint{
		Version:   CheckpointVersion,
		TakenAt:   at.UTC().Round(0),
		PublicKey: EncodePublicKey(key.Public().(ed25519.PublicKey)),
		Heads:     heads,
	}
	c.Signature = base64.StdEncoding.EncodeToString(ed25519.Sign(key, c.SignedBytes()))
	return c
}

// ErrBadCheckpoint marks a checkpoint that is malformed, whose signature
// does not verify, or that was signed by another key than the pinned one.
var ErrBadCheckpoint = errors.New("bad checkpoint")

// VerifySignature checks the checkpoint's form and its signature with its
// own public key, and, when pinned is not nil, that this key is pinned. It
// returns the key that signed it.
func (c *Checkpoint) VerifySignature(pinned ed25519.PublicKey) (ed25519.PublicKey, error) {
	if c.Version != CheckpointVersion {
		return nil, fmt.Errorf("%w: version %d, want %d", ErrBadCheckpoint, c.Version, CheckpointVersion)
	}
	pub, err := DecodePublicKey(c.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("%w: public key: %v", ErrBadCheckpoint, err)
	}
	if pinned != nil && !pub.Equal(pinned) {
		return nil, fmt.Errorf("%w: signed by key %s, not by the pinned key %s", ErrBadCheckpoint, c.PublicKey, EncodePublicKey(pinned))
	}
	sig, err := base64.StdEncoding.DecodeString(c.Signature)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return nil, fmt.Errorf("%w: the signature is not a base64 Ed25519 signature", ErrBadCheckpoint)
	}
	// A head whose fields could run into the next line, or an order other
	// than the one signing gives, would make two lists encode alike.
	for i, h := range c.Heads {
		if h.ArticleID < 0 || h.Seq < 0 || strings.Trim(h.Hash, "0123456789abcdef") != "" {
			return nil, fmt.Errorf("%w: head %d is not [article_id, seq, hex hash]", ErrBadCheckpoint, i+1)
		}
		if i > 0 && h.ArticleID <= c.Heads[i-1].ArticleID {
			return nil, fmt.Errorf("%w: the heads are not sorted by article id without repeats", ErrBadCheckpoint)
		}
	}
	if !ed25519.Verify(pub, c.SignedBytes(), sig) {
		return nil, fmt.Errorf("%w: the signature does not match its content: the checkpoint was altered or forged", ErrBadCheckpoint)
	}
	return pub, nil
}

// EncodePublicKey writes an Ed25519 public key as checkpoints carry it:
// standard base64 of its 32 bytes.
func EncodePublicKey(pub ed25519.PublicKey) string {
	return base64.StdEncoding.EncodeToString(pub)
}

// DecodePublicKey reads a key written by EncodePublicKey.
func DecodePublicKey(s string) (ed25519.PublicKey, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, errors.New("not the base64 of a 32-byte Ed25519 public key")
	}
	return ed25519.PublicKey(b), nil
}

// MarshalAuditKey encodes an Ed25519 private key as a PEM "PRIVATE KEY"
// block (PKCS #8).
func MarshalAuditKey(key ed25519.PrivateKey) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("encode the audit key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// MarshalAuditPublicKey encodes an Ed25519 public key as a PEM "PUBLIC
// KEY" block (PKIX).
func MarshalAuditPublicKey(pub ed25519.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("encode the audit public key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}

// ParseAuditKey reads the Ed25519 private key of a PEM "PRIVATE KEY" block.
func ParseAuditKey(data []byte) (ed25519.PrivateKey, error) {
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, errors.New("no PEM PRIVATE KEY block")
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("read the private key: %w", err)
	}
	key, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("a %T, not an Ed25519 key", k)
	}
	return key, nil
}

// ParseAuditPublicKey reads an Ed25519 public key from a PEM "PUBLIC KEY"
// block (text around it is ignored, so what "factdesk audit keygen"
// prints will do), or from the base64 that checkpoints carry.
func ParseAuditPublicKey(data []byte) (ed25519.PublicKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return DecodePublicKey(string(data))
	}
	if block.Type != "PUBLIC KEY" {
		return nil, fmt.Errorf("a PEM %s block, not a PUBLIC KEY", block.Type)
	}
	k, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("read the public key: %w", err)
	}
	pub, ok := k.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("a %T, not an Ed25519 key", k)
	}
	return pub, nil
}

// chainHeads reads the head of every chain on db: the global chain's
// (article id 0) first, then every article's by id.
func chainHeads(db *gorm.DB) ([]ChainHead, error) {
	var g struct {
		Seq  int64
		Head string
	}
	if err := db.Raw(`SELECT seq, head FROM audit_heads WHERE name = 'global'`).Scan(&g).Error; err != nil {
		return nil, fmt.Errorf("load the global audit head: %w", err)
	}
	heads := []ChainHead{{ArticleID: 0, Seq: g.Seq, Hash: g.Head}}
	err := scanRows(db, "audit heads of the articles", func(r *sql.Rows) error {
		var h ChainHead
		if err := r.Scan(&h.ArticleID, &h.Seq, &h.Hash); err != nil {
			return err
		}
		heads = append(heads, h)
		return nil
	}, `SELECT id, audit_seq, audit_head FROM articles ORDER BY id`)
	return heads, err
}

// ChainHeads returns the head of every audit chain — the global one as
// article 0, then every article's — read in one snapshot, with the time
// of the reading.
func (s *Store) ChainHeads(ctx context.Context) ([]ChainHead, time.Time, error) {
	var heads []ChainHead
	var at time.Time
	err := s.snapshot(ctx, func(db *gorm.DB) error {
		at = s.now()
		var err error
		heads, err = chainHeads(db)
		return err
	})
	return heads, at, err
}

// TakeCheckpoint reads the heads of every chain in one snapshot and signs
// them with key.
func (s *Store) TakeCheckpoint(ctx context.Context, key ed25519.PrivateKey) (*Checkpoint, error) {
	heads, at, err := s.ChainHeads(ctx)
	if err != nil {
		return nil, err
	}
	return SignCheckpoint(key, at, heads), nil
}

// CheckpointProblem is a chain that no longer extends its checkpointed
// head: what the checkpoint recorded and what the database holds now.
type CheckpointProblem struct {
	ArticleID int64  `json:"article_id"` // 0: the global chain
	Seq       int64  `json:"seq"`        // the checkpointed head
	Hash      string `json:"hash"`
	Gone      bool   `json:"gone,omitempty"`       // the article no longer exists
	HeadSeq   int64  `json:"head_seq"`             // the head now, in the database
	HeadHash  string `json:"head_hash"`            // its hash
	EventHash string `json:"event_hash,omitempty"` // the hash of event Seq now; "" when there is none
	Message   string `json:"message"`
}

// CheckpointResult is what VerifyCheckpoint found.
type CheckpointResult struct {
	Chains   int                 `json:"chains"` // checkpointed chains checked
	Problems []CheckpointProblem `json:"problems"`
}

// OK reports whether every checked chain extends its checkpointed head.
func (r *CheckpointResult) OK() bool { return len(r.Problems) == 0 }

// eventHashBatch is how many (article, seq) pairs one query looks up.
const eventHashBatch = 400

// VerifyCheckpoint checks, in one snapshot, that every chain of cp still
// extends its checkpointed head: its head now is at or past the
// checkpointed sequence number, and the event at that number still exists
// with the checkpointed hash (the chain's links prove the events before
// it; "audit verify" checks those). With only set, the check is limited
// to those articles (0 for the global chain). It does not check cp's
// signature: call VerifySignature first.
func (s *Store) VerifyCheckpoint(ctx context.Context, cp *Checkpoint, only map[int64]bool) (*CheckpointResult, error) {
	want := make([]ChainHead, 0, len(cp.Heads))
	for _, h := range cp.Heads {
		if only == nil || only[h.ArticleID] {
			want = append(want, h)
		}
	}
	res := &CheckpointResult{Chains: len(want), Problems: []CheckpointProblem{}}
	err := s.snapshot(ctx, func(db *gorm.DB) error {
		now, err := chainHeads(db)
		if err != nil {
			return err
		}
		heads := make(map[int64]ChainHead, len(now))
		for _, h := range now {
			heads[h.ArticleID] = h
		}
		events, err := eventHashes(db, want)
		if err != nil {
			return err
		}
		for _, w := range want {
			if p, bad := checkHead(w, heads, events); bad {
				res.Problems = append(res.Problems, p)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// checkHead compares the checkpointed head w with the database's.
func checkHead(w ChainHead, heads map[int64]ChainHead, events map[ChainHead]string) (CheckpointProblem, bool) {
	p := CheckpointProblem{ArticleID: w.ArticleID, Seq: w.Seq, Hash: w.Hash}
	chain := "the global chain"
	if w.ArticleID != 0 {
		chain = fmt.Sprintf("article %d", w.ArticleID)
	}
	now, ok := heads[w.ArticleID]
	if !ok {
		p.Gone = true
		p.Message = fmt.Sprintf("%s was checkpointed at event %d (hash %s) but no longer exists", chain, w.Seq, w.Hash)
		return p, true
	}
	p.HeadSeq, p.HeadHash = now.Seq, now.Hash
	key := ChainHead{ArticleID: w.ArticleID, Seq: w.Seq}
	p.EventHash = events[key]
	if w.Seq == 0 {
		// An empty chain then: anything extends it.
		return p, false
	}
	switch {
	case now.Seq < w.Seq:
		p.Message = fmt.Sprintf("%s was rolled back: checkpointed at event %d (hash %s), the database now ends at event %d (hash %s)",
			chain, w.Seq, w.Hash, now.Seq, now.Hash)
	case p.EventHash == "":
		p.Message = fmt.Sprintf("%s: event %d, checkpointed with hash %s, is missing (the head is now event %d, hash %s)",
			chain, w.Seq, w.Hash, now.Seq, now.Hash)
	case p.EventHash != w.Hash:
		p.Message = fmt.Sprintf("%s was rewritten: event %d was checkpointed with hash %s and now has %s (the head is now event %d, hash %s)",
			chain, w.Seq, w.Hash, p.EventHash, now.Seq, now.Hash)
	default:
		return p, false
	}
	return p, true
}

// eventHashes returns the hash of the event at each head's sequence number
// now, keyed by article id and seq (Hash empty), in batches of
// eventHashBatch pairs.
func eventHashes(db *gorm.DB, heads []ChainHead) (map[ChainHead]string, error) {
	out := make(map[ChainHead]string, len(heads))
	scan := func(r *sql.Rows) error {
		var id sql.NullInt64
		var seq int64
		var hash string
		if err := r.Scan(&id, &seq, &hash); err != nil {
			return err
		}
		out[ChainHead{ArticleID: id.Int64, Seq: seq}] = hash
		return nil
	}
	var pairs []ChainHead
	for _, h := range heads {
		switch {
		case h.Seq == 0:
		case h.ArticleID == 0:
			if err := scanRows(db, "the checkpointed global audit event", scan,
				`SELECT article_id, seq, hash FROM audit_events WHERE article_id IS NULL AND seq = ?`, h.Seq); err != nil {
				return nil, err
			}
		default:
			pairs = append(pairs, h)
		}
	}
	for len(pairs) > 0 {
		n := min(len(pairs), eventHashBatch)
		var q strings.Builder
		args := make([]any, 0, 2*n)
		q.WriteString(`SELECT article_id, seq, hash FROM audit_events WHERE (article_id, seq) IN (`)
		for i, h := range pairs[:n] {
			if i > 0 {
				q.WriteByte(',')
			}
			q.WriteString("(?,?)")
			args = append(args, h.ArticleID, h.Seq)
		}
		q.WriteByte(')')
		if err := scanRows(db, "the checkpointed audit events", scan, q.String(), args...); err != nil {
			return nil, err
		}
		pairs = pairs[n:]
	}
	return out, nil
}

// Encode writes the checkpoint as JSON with one head a line, so that two
// checkpoints compare with diff.
func (c *Checkpoint) Encode() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("{\n")
	field := func(name string, v any) error {
		enc, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("encode checkpoint %s: %w", name, err)
		}
		fmt.Fprintf(&b, "  %q: %s,\n", name, enc)
		return nil
	}
	if err := field("version", c.Version); err != nil {
		return nil, err
	}
	if err := field("taken_at", c.TakenAt); err != nil {
		return nil, err
	}
	if err := field("public_key", c.PublicKey); err != nil {
		return nil, err
	}
	if err := field("signature", c.Signature); err != nil {
		return nil, err
	}
	b.WriteString(`  "heads": [`)
	for i, h := range c.Heads {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n    ")
		enc, err := h.MarshalJSON()
		if err != nil {
			return nil, fmt.Errorf("encode checkpoint head %d: %w", h.ArticleID, err)
		}
		b.Write(enc)
	}
	if len(c.Heads) > 0 {
		b.WriteString("\n  ")
	}
	b.WriteString("]\n}\n")
	return b.Bytes(), nil
}

// DecodeCheckpoint reads a checkpoint written by Encode (or any JSON of
// the same fields). It checks neither the form nor the signature: see
// VerifySignature.
func DecodeCheckpoint(data []byte) (*Checkpoint, error) {
	var c Checkpoint
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadCheckpoint, err)
	}
	return &c, nil
}
