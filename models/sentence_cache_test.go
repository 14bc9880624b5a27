package models

import "testing"

// The head cache keeps a sentence only while its article's chain moved by
// this process's own writes, and forgets the articles used longest ago.
func TestHeadCacheFollowsOnlyItsOwnWrites(t *testing.T) {
	c := newHeadCache(10)
	rev := int64(7)
	at := func(articleID, id, seq int64, version int) *lockedSentence {
		return &lockedSentence{Sentence: Sentence{ID: id, ArticleID: articleID, RevisionID: rev, Version: version},
			ArticleStatus: ArticleInReview, CurrentRevisionID: &rev, AuditSeq: seq, AuditHead: "h"}
	}
	has := func(id int64, seq int64) bool {
		t.Helper()
		ls, ok := c.get(id)
		return ok && ls.AuditSeq == seq
	}
	c.read(at(1, 10, 5, 1))
	if !has(10, 5) {
		t.Fatal("a sentence read is not remembered")
	}
	// Its own write moves the head one step and keeps the neighbour.
	w := &sentenceWrite{s: &Sentence{ID: 11, ArticleID: 1, RevisionID: rev, Version: 2}, from: 1,
		e: &AuditEvent{Seq: 6, Hash: "h6"}, art: &Article{ID: 1, AuditSeq: 5}, status: ArticleInReview}
	c.wrote(w)
	if !has(10, 6) || !has(11, 6) {
		t.Fatal("after its own write: the neighbour or the written sentence is not at the new head")
	}
	// A read from an older snapshot changes nothing.
	c.read(at(1, 12, 4, 1))
	if _, ok := c.get(12); ok || !has(10, 6) {
		t.Fatal("a read older than the head was remembered")
	}
	// A head that moved some other way drops what was known.
	c.read(at(1, 12, 8, 1))
	if _, ok := c.get(10); ok {
		t.Fatal("a sentence survived a head moved by someone else")
	}
	if !has(12, 8) {
		t.Fatal("the newer read is not remembered")
	}
	// A write that did not follow the remembered head drops the article.
	w.art.AuditSeq, w.e.Seq = 7, 8
	c.wrote(w)
	if _, ok := c.get(12); ok {
		t.Fatal("a write from another head kept the article")
	}
	// Past the bound, the article used longest ago goes first.
	for id := int64(100); id < 105; id++ {
		c.read(at(2, id, 1, 1))
	}
	for id := int64(200); id < 205; id++ {
		c.read(at(3, id, 1, 1))
	}
	c.get(100) // article 2 used last
	c.read(at(4, 300, 1, 1))
	if _, ok := c.get(200); ok {
		t.Error("the article used longest ago was kept")
	}
	if !has(100, 1) || !has(300, 1) {
		t.Error("the article used last or the new one was evicted")
	}
	// A revision that is not the current one, or an article with an
	// editor, is not remembered from a page read.
	old := at(5, 400, 1, 1)
	other := int64(6)
	old.CurrentRevisionID = &other
	c.readAll(old, []Sentence{old.Sentence})
	approved := at(5, 401, 1, 1)
	approved.ArticleStatus = ArticleApproved
	c.readAll(approved, []Sentence{approved.Sentence})
	if _, ok := c.get(400); ok {
		t.Error("a sentence of an earlier revision was remembered")
	}
	if _, ok := c.get(401); ok {
		t.Error("a sentence of an approved article was remembered")
	}
}
