package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"

	"gorm.io/gorm"
)

// Problem is one finding of a verification.
type Problem struct {
	Seq        int64 `json:"seq,omitempty"`         // the event concerned
	SentenceID int64 `json:"sentence_id,omitempty"` // the sentence concerned
	Sentence   int   `json:"sentence,omitempty"`    // its 1-based number
	// Table and RowID name the stored row that differs from what the
	// events give (replayTables); RowID is the row's id (for assignments
	// the assignee's user id).
	Table   string `json:"table,omitempty"`
	RowID   int64  `json:"row_id,omitempty"`
	Message string `json:"message"`
}

// Verification is the result of checking an article's record: its hash
// chain, and a replay of its events against the stored sentences and
// bodies, and a replay of its events against every other table the
// trail describes (see replayTables).
type Verification struct {
	ArticleID int64     `json:"article_id"`
	OK        bool      `json:"ok"`
	ChainOK   bool      `json:"chain_ok"`
	ReplayOK  bool      `json:"replay_ok"`
	Events    int       `json:"events"`
	HeadHash  string    `json:"head_hash"`
	Problems  []Problem `json:"problems"`
}

// importRecordView is what VerifyArticle reads from an import event.
type importRecordView struct {
	Revision   int               `json:"revision"`
	BodySHA256 string            `json:"body_sha256"`
	Excluded   map[string]string `json:"excluded"`
}

// ArticleRecord is everything a verification of an article reads: the
// article, its audit events in chain order, its revisions with their
// bodies, the sentences of every revision, and the rows of the other
// tables whose changes the events record (ordered by id).
type ArticleRecord struct {
	Article   *Article
	Events    []AuditEvent
	Revisions []Revision
	Sentences []Sentence // ordered by revision, then index
	articleTables
}

// CurrentSentences returns the sentences of the current revision.
func (r *ArticleRecord) CurrentSentences() []Sentence {
	if r.Article.CurrentRevisionID == nil {
		return nil
	}
	cur := *r.Article.CurrentRevisionID
	lo, hi := -1, -1
	for i := range r.Sentences {
		if r.Sentences[i].RevisionID == cur {
			if lo < 0 {
				lo = i
			}
			hi = i + 1
		}
	}
	if lo < 0 {
		return nil
	}
	return r.Sentences[lo:hi]
}

// ArticleRecord loads an article's whole record in a fixed number of
// queries (four, and one per table of articleTables).
func (s *Store) ArticleRecord(ctx context.Context, articleID int64) (*ArticleRecord, error) {
	rec := &ArticleRecord{}
	err := s.snapshot(ctx, func(db *gorm.DB) error {
		var a Article
		if err := db.First(&a, articleID).Error; err != nil {
			return notFound(err, "article %d", articleID)
		}
		rec.Article = &a
		var err error
		if rec.Events, err = loadEvents(db, fmt.Sprintf("audit events of article %d", articleID),
			`SELECT `+eventColumns+` FROM audit_events WHERE article_id = ? ORDER BY seq`, articleID); err != nil {
			return err
		}
		if err := db.Where("article_id = ?", articleID).Order("number").Find(&rec.Revisions).Error; err != nil {
			return fmt.Errorf("load revisions of article %d: %w", articleID, err)
		}
		rec.Sentences, err = loadSentences(db, fmt.Sprintf("sentences of article %d", articleID),
			`SELECT `+sentenceRowColumns+` FROM sentences WHERE article_id = ? ORDER BY revision_id, idx`, articleID)
		if err != nil {
			return err
		}
		return rec.articleTables.load(db, articleID)
	})
	if err != nil {
		return nil, err
	}
	return rec, nil
}

// VerifyArticle checks that an article's record is intact: the events form
// an unbroken hash chain ending at the recorded head; each revision's body
// still has the hash its import recorded; each sentence's text is its span
// of the body; and replaying the sentence events from the import's
// initial state gives exactly the stored state of every sentence. A row
// changed behind factdesk's back (an UPDATE in psql) shows up as a problem
// naming the article and sentence.
func (s *Store) VerifyArticle(ctx context.Context, articleID int64) (*Verification, error) {
	rec, err := s.ArticleRecord(ctx, articleID)
	if err != nil {
		return nil, err
	}
	v, _ := rec.Verify()
	return v, nil
}

// Verify checks the record (see VerifyArticle). It also returns, by
// sentence id, the last event that changed the sentence's status or
// verdict: who checked it, for reports, found on the same pass.
func (rec *ArticleRecord) Verify() (*Verification, map[int64]*AuditEvent) {
	a := rec.Article
	v := &Verification{ArticleID: a.ID, Events: len(rec.Events), HeadHash: a.AuditHead}
	for _, p := range VerifyChain(rec.Events, a.AuditSeq, a.AuditHead) {
		v.Problems = append(v.Problems, Problem{Seq: p.Seq, Message: p.Problem})
	}
	v.ChainOK = len(v.Problems) == 0
	replay, checks := replay(rec.Revisions, rec.Sentences, rec.Events)
	replay = append(replay, rec.replayTables()...)
	v.Problems = append(v.Problems, replay...)
	v.ReplayOK = len(replay) == 0
	v.OK = v.ChainOK && v.ReplayOK
	if v.Problems == nil {
		v.Problems = []Problem{}
	}
	return v, checks
}

func replay(revs []Revision, sents []Sentence, events []AuditEvent) ([]Problem, map[int64]*AuditEvent) {
	var problems []Problem
	checks := map[int64]*AuditEvent{}
	revByNumber := map[int]*Revision{}
	for i := range revs {
		revByNumber[revs[i].Number] = &revs[i]
	}
	bodies := map[int64]string{}
	state := map[int64]SentenceState{} // replayed state by sentence id
	known := map[int64]*Sentence{}
	for i := range sents {
		st := &sents[i]
		known[st.ID] = st
	}
	imported := map[int64]bool{}
	for i := range events {
		e := &events[i]
		switch {
		case e.Action == "article.import" || e.Action == "article.revision":
			var rec importRecordView
			if err := json.Unmarshal([]byte(e.After), &rec); err != nil {
				problems = append(problems, Problem{Seq: e.Seq, Message: "the import event cannot be read"})
				continue
			}
			rev := revByNumber[rec.Revision]
			if rev == nil {
				problems = append(problems, Problem{Seq: e.Seq, Message: fmt.Sprintf("revision %d recorded by the import is missing", rec.Revision)})
				continue
			}
			imported[rev.ID] = true
			sum := sha256.Sum256([]byte(rev.Body))
			if got := hex.EncodeToString(sum[:]); got != rec.BodySHA256 || rev.BodySHA256 != rec.BodySHA256 {
				problems = append(problems, Problem{Seq: e.Seq, Message: fmt.Sprintf("the body of revision %d is not the text that was imported (SHA-256 differs)", rev.Number)})
			}
			bodies[rev.ID] = rev.Body
			for _, st := range sents {
				if st.RevisionID != rev.ID {
					continue
				}
				init := SentenceState{Status: "unreviewed", Version: 1}
				if reason, ok := rec.Excluded[strconv.Itoa(st.Index)]; ok {
					init.Status, init.ExcludeReason = "excluded", reason
				}
				state[st.ID] = init
			}
		case e.Entity == "sentence":
			st := known[e.EntityID]
			if st == nil {
				problems = append(problems, Problem{Seq: e.Seq, SentenceID: e.EntityID, Message: "an event changes a sentence that no longer exists"})
				continue
			}
			before, after, err := EventStates(e)
			if err != nil {
				problems = append(problems, Problem{Seq: e.Seq, SentenceID: st.ID, Sentence: st.Number(), Message: "the event cannot be read"})
				continue
			}
			if cur, ok := state[st.ID]; ok && cur != before {
				problems = append(problems, Problem{Seq: e.Seq, SentenceID: st.ID, Sentence: st.Number(),
					Message: "the event's starting state is not the state the events before it left"})
			}
			if before.Status != after.Status || before.Verdict != after.Verdict {
				checks[st.ID] = e
			}
			state[st.ID] = after
		}
	}
	for i := range sents {
		st := &sents[i]
		if !imported[st.RevisionID] {
			problems = append(problems, Problem{SentenceID: st.ID, Sentence: st.Number(), Message: "the sentence belongs to a revision with no import event"})
			continue
		}
		body := bodies[st.RevisionID]
		if st.StartByte < 0 || st.EndByte > len(body) || st.StartByte >= st.EndByte || body[st.StartByte:st.EndByte] != st.Text {
			problems = append(problems, Problem{SentenceID: st.ID, Sentence: st.Number(), Message: "the sentence's text is not its span of the article's body"})
		}
		if want := state[st.ID]; want != st.State() {
			problems = append(problems, Problem{SentenceID: st.ID, Sentence: st.Number(),
				Message: fmt.Sprintf("stored state %s differs from the state its events give %s: changed outside factdesk", describe(st.State()), describe(want))})
		}
	}
	return problems, checks
}

func describe(s SentenceState) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// ArticleIDs returns the ids of every article, for verifying them all.
func (s *Store) ArticleIDs(ctx context.Context) ([]int64, error) {
	var ids []int64
	if err := s.db.gorm.WithContext(ctx).Model(&Article{}).Order("id").Pluck("id", &ids).Error; err != nil {
		return nil, fmt.Errorf("list article ids: %w", err)
	}
	return ids, nil
}

// VerifyGlobal checks the chain of events that belong to no article (users
// and tokens), and replays its user and token events against the stored
// users and API tokens: a difference is a ChainProblem with Seq 0 whose
// Problem names the table and the row (see replayUsers).
func (s *Store) VerifyGlobal(ctx context.Context) ([]ChainProblem, int, error) {
	var (
		events []AuditEvent
		head   struct {
			Seq  int64
			Head string
		}
		users  []User
		tokens []APIToken
	)
	// One snapshot: a user created meanwhile must not look like a row no
	// event explains.
	err := s.snapshot(ctx, func(db *gorm.DB) error {
		var err error
		if events, err = loadEvents(db, "global audit events",
			`SELECT `+eventColumns+` FROM audit_events WHERE article_id IS NULL ORDER BY seq`); err != nil {
			return err
		}
		if err := db.Raw(`SELECT seq, head FROM audit_heads WHERE name = 'global'`).Scan(&head).Error; err != nil {
			return fmt.Errorf("load the global audit head: %w", err)
		}
		if err := db.Order("id").Find(&users).Error; err != nil {
			return fmt.Errorf("load users: %w", err)
		}
		if err := db.Order("id").Find(&tokens).Error; err != nil {
			return fmt.Errorf("load API tokens: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	problems := VerifyChain(events, head.Seq, head.Head)
	for _, p := range replayUsers(events, users, tokens) {
		problems = append(problems, ChainProblem{Seq: p.Seq, Problem: fmt.Sprintf("%s row %d: %s", p.Table, p.RowID, p.Message)})
	}
	return problems, len(events), nil
}
