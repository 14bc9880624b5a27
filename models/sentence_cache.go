package models

import (
	"cmp"
	"slices"
	"sync"
)

// headCache lets a label on PostgreSQL skip its read: it remembers, for
// the articles this process labels, the head of the article's audit chain
// and the sentences read or written at that head. An entry is only a
// guess. The write it leads to is the compare-and-set of writeSentenceSQL
// on the article's audit sequence and the sentence's version, which fails
// unless the database still holds exactly what the entry says; the edit
// then reads afresh. The cache never answers a read and never decides a
// refusal: a conflict, a rule broken or an edit that changes nothing is
// decided again on rows just read.
//
// A sentence stays valid while the head moves only by this process's own
// writes, each proven by its compare-and-set to follow the remembered
// head; a head seen to move any other way drops the article's sentences.
type headCache struct {
	mu        sync.Mutex
	articles  map[int64]*cachedArticle
	articleOf map[int64]int64 // sentence id → article id
	max       int             // sentences remembered at most
	tick      uint64          // moves on every use, for eviction
}

// cachedArticle is an article's head as last seen and the sentences known
// to be current at that head.
type cachedArticle struct {
	status            ArticleStatus
	currentRevisionID *int64
	seq               int64
	head              string
	sentences         map[int64]Sentence
	used              uint64 // the cache's tick at the last use
}

// headCacheMax bounds the sentences remembered (about 300 bytes each);
// past it the articles used longest ago are forgotten.
const headCacheMax = 50_000

func newHeadCache(max int) *headCache {
	return &headCache{articles: make(map[int64]*cachedArticle), articleOf: make(map[int64]int64), max: max}
}

// get returns the remembered state of sentence id, if any.
func (c *headCache) get(id int64) (lockedSentence, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.articles[c.articleOf[id]]
	if !ok {
		return lockedSentence{}, false
	}
	st, ok := a.sentences[id]
	if !ok {
		return lockedSentence{}, false
	}
	c.tick++
	a.used = c.tick
	return lockedSentence{Sentence: st, ArticleStatus: a.status, CurrentRevisionID: a.currentRevisionID,
		AuditSeq: a.seq, AuditHead: a.head}, true
}

// read records a sentence read in one snapshot with its article's head.
// A head further along than the remembered one replaces it and drops the
// sentences remembered at the old one; a read older than the remembered
// head is ignored.
func (c *headCache) read(ls *lockedSentence) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.articles[ls.ArticleID]
	switch {
	case ok && ls.AuditSeq < a.seq:
		return
	case !ok || ls.AuditSeq > a.seq || a.head != ls.AuditHead:
		c.dropLocked(ls.ArticleID)
		a = &cachedArticle{status: ls.ArticleStatus, currentRevisionID: ls.CurrentRevisionID, seq: ls.AuditSeq,
			head: ls.AuditHead, sentences: make(map[int64]Sentence)}
		c.articles[ls.ArticleID] = a
	}
	c.putLocked(a, ls.Sentence)
}

// readAll records the sentences of a revision read in one snapshot with
// their article's head (head holds the last row), if the revision is the
// article's current one and the article is open to labels.
func (c *headCache) readAll(head *lockedSentence, ss []Sentence) {
	switch {
	case head.CurrentRevisionID == nil || *head.CurrentRevisionID != head.RevisionID,
		head.ArticleStatus == ArticleSubmitted, head.ArticleStatus == ArticleApproved,
		len(ss) > c.max/4:
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if a, ok := c.articles[head.ArticleID]; ok && head.AuditSeq < a.seq {
		return
	}
	c.dropLocked(head.ArticleID)
	a := &cachedArticle{status: head.ArticleStatus, currentRevisionID: head.CurrentRevisionID, seq: head.AuditSeq,
		head: head.AuditHead, sentences: make(map[int64]Sentence, len(ss))}
	c.articles[head.ArticleID] = a
	for _, s := range ss {
		c.putLocked(a, s)
	}
}

// wrote records a write whose compare-and-set moved the article's head
// from w.art.AuditSeq (as it was before the write) one step on.
func (c *headCache) wrote(w *sentenceWrite) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.articles[w.art.ID]
	if !ok || a.seq != w.art.AuditSeq {
		// Not the head the write followed: what else moved is unknown.
		c.dropLocked(w.art.ID)
		return
	}
	a.seq, a.head, a.status = w.e.Seq, w.e.Hash, w.status
	c.putLocked(a, *w.s)
}

// drop forgets an article: its head moved in a way this process did not
// follow.
func (c *headCache) drop(articleID int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dropLocked(articleID)
}

func (c *headCache) dropLocked(articleID int64) {
	a, ok := c.articles[articleID]
	if !ok {
		return
	}
	for id := range a.sentences {
		delete(c.articleOf, id)
	}
	delete(c.articles, articleID)
}

func (c *headCache) putLocked(a *cachedArticle, s Sentence) {
	c.tick++
	a.used = c.tick
	if _, known := c.articleOf[s.ID]; !known && len(c.articleOf) >= c.max {
		c.evictLocked(a)
	}
	a.sentences[s.ID] = s
	c.articleOf[s.ID] = s.ArticleID
}

// evictLocked forgets the articles used longest ago, but keep, until a
// tenth of the room is free.
func (c *headCache) evictLocked(keep *cachedArticle) {
	type use struct {
		id   int64
		used uint64
	}
	uses := make([]use, 0, len(c.articles))
	for id, a := range c.articles {
		if a != keep {
			uses = append(uses, use{id, a.used})
		}
	}
	slices.SortFunc(uses, func(x, y use) int { return cmp.Compare(x.used, y.used) })
	for _, u := range uses {
		if len(c.articleOf) < c.max*9/10 {
			return
		}
		c.dropLocked(u.id)
	}
}
