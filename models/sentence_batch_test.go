package models_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"factdesk/codebook"
	"factdesk/internal/testdb"
	"factdesk/models"
)

// batchFixture is a checker and articles in review whose sentences the
// store has read, as the review page reads them before labels come; their
// labels go through the batcher.
type batchFixture struct {
	db       *models.DB
	st       *models.Store
	checker  models.Actor
	articles []*models.Article
	// sentences holds each article's sentences as read after the article
	// went into review.
	sentences [][]models.Sentence
}

func newBatchFixture(t *testing.T, db *models.DB, articles, sentences int) *batchFixture {
	t.Helper()
	ctx := context.Background()
	st := models.NewStore(db)
	u, err := st.CreateUser(ctx, models.System, models.NewUser{Email: "bea@example.org", Name: "Bea", Role: models.RoleChecker, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	f := &batchFixture{db: db, st: st, checker: u.Actor()}
	for a := range articles {
		a, created, err := st.CreateArticle(ctx, f.checker, sentencesArticle(a, sentences))
		if err != nil || !created {
			t.Fatalf("create: %v, created %v", err, created)
		}
		ss, err := st.Sentences(ctx, *a.CurrentRevisionID)
		if err != nil {
			t.Fatal(err)
		}
		// The first label of a draft opens a review round; it takes the
		// locking path.
		if _, err := st.EditSentence(ctx, f.checker, ss[0].ID, ss[0].Version, "sentence.label", labelAs(codebook.Fact)); err != nil {
			t.Fatal(err)
		}
		if ss, err = st.Sentences(ctx, *a.CurrentRevisionID); err != nil {
			t.Fatal(err)
		}
		f.articles, f.sentences = append(f.articles, a), append(f.sentences, ss)
	}
	return f
}

// sentencesArticle is an article of n one-line paragraphs, its body
// different for every i.
func sentencesArticle(i, n int) models.NewArticle {
	var b strings.Builder
	na := models.NewArticle{Title: fmt.Sprintf("Batch %d", i), Format: "text", ParagraphCount: n}
	for k := range n {
		if k > 0 {
			b.WriteString("\n\n")
		}
		start := b.Len()
		fmt.Fprintf(&b, "Article %d says thing %d happened.", i, k)
		na.Sentences = append(na.Sentences, models.Sentence{Index: k, Paragraph: k, StartByte: start, EndByte: b.Len(),
			Start: start, End: b.Len(), Text: b.String()[start:], Quote: "none"})
	}
	na.Body = b.String()
	sum := sha256.Sum256([]byte(na.Body))
	na.BodySHA256 = hex.EncodeToString(sum[:])
	return na
}

// labelAs is a change that labels a sentence.
func labelAs(l codebook.Label) func(e *models.SentenceEdit) (models.SentenceState, error) {
	return func(e *models.SentenceEdit) (models.SentenceState, error) {
		st := e.Sentence.State()
		st.Label, st.Status = string(l), string(codebook.Labeled)
		return st, nil
	}
}

// other is the label a sentence labeled l changes to.
func other(l string) codebook.Label {
	if l == string(codebook.Fact) {
		return codebook.Allegation
	}
	return codebook.Fact
}

func (f *batchFixture) verify(t *testing.T, articles ...*models.Article) {
	t.Helper()
	for _, a := range articles {
		v, err := f.st.VerifyArticle(context.Background(), a.ID)
		if err != nil || !v.OK {
			t.Errorf("article %d does not verify: %v %+v", a.ID, err, v)
		}
	}
}

func (f *batchFixture) sentence(t *testing.T, id int64) models.Sentence {
	t.Helper()
	for i := range f.articles {
		ss, err := f.st.Sentences(context.Background(), *f.articles[i].CurrentRevisionID)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range ss {
			if s.ID == id {
				return s
			}
		}
	}
	t.Fatalf("sentence %d not found", id)
	return models.Sentence{}
}

// Many checkers labeling at once, several on one article and some on one
// sentence: every edit answered without error is stored exactly once with
// its event, every refused one is not, and every chain verifies.
func TestConcurrentLabelsLandOnceEach(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		const articles, perArticle, writers, edits = 6, 8, 24, 30
		f := newBatchFixture(t, db, articles, perArticle)
		ctx := context.Background()
		type key struct{ a, s int }
		var (
			mu        sync.Mutex
			landed    = map[int64]int{}
			conflicts int
		)
		var wg sync.WaitGroup
		for w := range writers {
			wg.Go(func() {
				// Each writer keeps its own view of the sentences, as a
				// review page does, and learns the current state from a
				// conflict.
				known := map[key]models.Sentence{}
				for i := range edits {
					k := key{(w + i/10) % articles, (w + i) % perArticle}
					s, ok := known[k]
					if !ok {
						s = f.sentences[k.a][k.s]
					}
					out, err := f.st.EditSentence(ctx, f.checker, s.ID, s.Version, "sentence.label", labelAs(other(s.LabelString())))
					var me *models.Error
					switch {
					case errors.As(err, &me) && me.Code == models.ECONFLICT:
						cur, ok := me.Data.(*models.Sentence)
						if !ok {
							t.Errorf("a conflict without the current sentence: %v", err)
							return
						}
						known[k] = *cur
						mu.Lock()
						conflicts++
						mu.Unlock()
					case err != nil:
						t.Errorf("edit of sentence %d: %v", s.ID, err)
						return
					default:
						known[k] = *out
						mu.Lock()
						landed[s.ID]++
						mu.Unlock()
					}
				}
			})
		}
		wg.Wait()
		total := 0
		for a := range f.articles {
			for _, before := range f.sentences[a] {
				now := f.sentence(t, before.ID)
				if got := now.Version - before.Version; got != landed[before.ID] {
					t.Errorf("sentence %d moved %d versions; %d edits were answered as written", before.ID, got, landed[before.ID])
				}
				total += landed[before.ID]
			}
		}
		f.verify(t, f.articles...)
		if total == 0 || conflicts == 0 {
			t.Errorf("%d edits landed and %d conflicted: the test no longer makes writers meet", total, conflicts)
		}
		batches, writes := db.LabelBatches()
		t.Logf("%d edits landed, %d conflicts; %d batches held %d edits", total, conflicts, batches, writes)
	})
}

// queueEdits starts one edit per sentence while the batcher's turns are
// held, waits until all are queued and releases the turns: the first to
// get a turn writes them as one batch. It returns each edit's outcome.
func queueEdits(t *testing.T, f *batchFixture, ctx context.Context, ss []models.Sentence) []error {
	t.Helper()
	release := models.HoldWriteTurns(f.db)
	errs := make([]error, len(ss))
	var wg sync.WaitGroup
	for i, s := range ss {
		wg.Go(func() {
			_, errs[i] = f.st.EditSentence(ctx, f.checker, s.ID, s.Version, "sentence.label", labelAs(other(s.LabelString())))
		})
	}
	waitQueued(t, f.db, len(ss))
	release()
	wg.Wait()
	return errs
}

func waitQueued(t *testing.T, db *models.DB, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); models.QueuedWrites(db) < n; {
		if time.Now().After(deadline) {
			t.Fatalf("%d edits queued after 10 s, want %d", models.QueuedWrites(db), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// Labels waiting for a turn at the same moment are committed in one
// transaction; two of them on one article follow each other in its
// chain (on PostgreSQL computed in order on the rows read under the lock,
// on SQLite each reading the rows the one before it wrote).
func TestWaitingLabelsCommitTogether(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		f := newBatchFixture(t, db, 3, 3)
		a, b, c := f.sentences[0], f.sentences[1], f.sentences[2]
		batches0, writes0 := db.LabelBatches()
		edits := []models.Sentence{a[1], b[1], c[1], a[2]}
		errs := queueEdits(t, f, context.Background(), edits)
		for i, err := range errs {
			if err != nil {
				t.Errorf("edit %d: %v", i, err)
			}
		}
		batches, writes := db.LabelBatches()
		if batches-batches0 != 1 || writes-writes0 != 4 {
			t.Errorf("%d batches held %d edits, want one batch of 4", batches-batches0, writes-writes0)
		}
		for _, s := range edits {
			now := f.sentence(t, s.ID)
			if now.Version != s.Version+1 || now.LabelString() != string(other(s.LabelString())) {
				t.Errorf("sentence %d: version %d label %q, want %d %q", s.ID, now.Version, now.LabelString(), s.Version+1, other(s.LabelString()))
			}
		}
		f.verify(t, f.articles...)
	})
}

// An edit refused in a batch — its sentence changed behind factdesk's
// back, so its version is stale — leaves the others of the batch written
// and is answered as it would have been alone: the stale version is found
// on the rows read under the lock, before anything is written.
func TestRefusedLabelLeavesItsBatchWritten(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		f := newBatchFixture(t, db, 3, 2)
		a, b, c := f.sentences[0][1], f.sentences[1][1], f.sentences[2][1]
		if _, err := db.SQL().ExecContext(context.Background(), fmt.Sprintf(`UPDATE sentences SET version = version + 1 WHERE id = %d`, b.ID)); err != nil {
			t.Fatal(err)
		}
		errs := queueEdits(t, f, context.Background(), []models.Sentence{a, b, c})
		if errs[0] != nil || errs[2] != nil {
			t.Errorf("the other edits of the batch failed: %v, %v", errs[0], errs[2])
		}
		if models.ErrorCode(errs[1]) != models.ECONFLICT {
			t.Errorf("the edit of the sentence changed behind factdesk's back: %v, want a conflict", errs[1])
		}
		if now := f.sentence(t, b.ID); now.LabelString() != b.LabelString() {
			t.Errorf("the refused edit was written: label %q", now.LabelString())
		}
		for _, s := range []models.Sentence{a, c} {
			if now := f.sentence(t, s.ID); now.Version != s.Version+1 {
				t.Errorf("sentence %d is at version %d, want %d", s.ID, now.Version, s.Version+1)
			}
		}
		f.verify(t, f.articles[0], f.articles[2])
	})
}

// An edit whose event the database refuses after its sentence was
// written — a trigger stands in for a full disk or a broken constraint —
// is undone whole, while the others of its batch land: on SQLite its
// savepoint is rolled back, on PostgreSQL the batch is rolled back and
// written edit by edit.
func TestLabelFailingMidwayIsUndoneWholeInItsBatch(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		f := newBatchFixture(t, db, 3, 2)
		a, b, c := f.sentences[0][1], f.sentences[1][1], f.sentences[2][1]
		ctx := context.Background()
		trigger := []string{
			fmt.Sprintf(`CREATE TRIGGER refuse_event BEFORE INSERT ON audit_events
				WHEN (NEW.entity = 'sentence' AND NEW.entity_id = %d) BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`, b.ID),
		}
		if db.Dialect() == "postgres" {
			trigger = []string{
				fmt.Sprintf(`CREATE FUNCTION refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$
					BEGIN IF NEW.entity = 'sentence' AND NEW.entity_id = %d THEN RAISE EXCEPTION 'refused by the test'; END IF;
					RETURN NEW; END $$`, b.ID),
				`CREATE TRIGGER refuse_event BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION refuse_event()`,
			}
		}
		for _, q := range trigger {
			if _, err := db.SQL().ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		errs := queueEdits(t, f, ctx, []models.Sentence{a, b, c})
		if errs[0] != nil || errs[2] != nil {
			t.Errorf("the other edits of the batch failed: %v, %v", errs[0], errs[2])
		}
		if errs[1] == nil || !strings.Contains(errs[1].Error(), "refused by the test") {
			t.Errorf("the edit whose event was refused: %v", errs[1])
		}
		if now := f.sentence(t, b.ID); now.Version != b.Version || now.LabelString() != b.LabelString() {
			t.Errorf("the failed edit was half applied: version %d label %q", now.Version, now.LabelString())
		}
		for _, s := range []models.Sentence{a, c} {
			if now := f.sentence(t, s.ID); now.Version != s.Version+1 {
				t.Errorf("sentence %d is at version %d, want %d", s.ID, now.Version, s.Version+1)
			}
		}
		f.verify(t, f.articles...)
	})
}

// An edit whose request ends while it waits in the queue is not written,
// and the queue goes on.
func TestQueuedLabelOfEndedRequestIsNotWritten(t *testing.T) {
	testdb.Run(t, func(t *testing.T, db *models.DB) {
		f := newBatchFixture(t, db, 1, 3)
		s := f.sentences[0][1]
		release := models.HoldWriteTurns(db)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			_, err := f.st.EditSentence(ctx, f.checker, s.ID, s.Version, "sentence.label", labelAs(codebook.Quote))
			done <- err
		}()
		waitQueued(t, db, 1)
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("the edit of an ended request: %v, want context.Canceled", err)
		}
		if n := models.QueuedWrites(db); n != 0 {
			t.Errorf("%d edits left in the queue", n)
		}
		release()
		if now := f.sentence(t, s.ID); now.Version != s.Version {
			t.Errorf("the edit of an ended request was written: version %d, want %d", now.Version, s.Version)
		}
		if _, err := f.st.EditSentence(context.Background(), f.checker, s.ID, s.Version, "sentence.label", labelAs(codebook.Quote)); err != nil {
			t.Errorf("the next edit: %v", err)
		}
		f.verify(t, f.articles...)
	})
}

// A label whose article another transaction holds locked does not hold up
// the other articles' labels of its batch: they are answered while the
// lock is held, and it lands once the lock is let go.
func TestLockedArticleDoesNotHoldUpItsBatch(t *testing.T) {
	db := testdb.Open(t, testdb.Postgres)
	f := newBatchFixture(t, db, 3, 2)
	a, b, c := f.sentences[0][1], f.sentences[1][1], f.sentences[2][1]
	ctx := context.Background()
	tx, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT id FROM articles WHERE id = $1 FOR UPDATE`, f.articles[1].ID); err != nil {
		t.Fatal(err)
	}
	release := models.HoldWriteTurns(db)
	type result struct {
		id  int64
		err error
	}
	results := make(chan result, 3)
	for _, s := range []models.Sentence{a, b, c} {
		go func() {
			_, err := f.st.EditSentence(ctx, f.checker, s.ID, s.Version, "sentence.label", labelAs(other(s.LabelString())))
			results <- result{s.ID, err}
		}()
	}
	waitQueued(t, db, 3)
	release()
	for range 2 {
		select {
		case r := <-results:
			if r.id == b.ID || r.err != nil {
				t.Fatalf("sentence %d answered first, error %v; want a and c, written", r.id, r.err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the labels of unlocked articles waited for another article's lock")
		}
	}
	select {
	case r := <-results:
		t.Fatalf("the label of the locked article was answered while the lock was held: %v", r.err)
	case <-time.After(300 * time.Millisecond):
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if r := <-results; r.err != nil {
		t.Errorf("the label of the article once unlocked: %v", r.err)
	}
	for _, s := range []models.Sentence{a, b, c} {
		if now := f.sentence(t, s.ID); now.Version != s.Version+1 {
			t.Errorf("sentence %d is at version %d, want %d", s.ID, now.Version, s.Version+1)
		}
	}
	f.verify(t, f.articles...)
}
