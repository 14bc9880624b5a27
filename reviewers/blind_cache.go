package reviewers

import (
	"context"
	"sync"
	"time"

	"factdesk/models"
)

// blindCacheTTL is how long a server trusts what it last read of whom
// gives open blind second opinions on what. Asking someone for an opinion
// on this server counts at once; on other servers of the same database
// within this time, as an event stream's re-check does (routes/events.go).
const blindCacheTTL = time.Second

// blindCache remembers, per person, the articles they give an open blind
// second opinion on. The label path asks it on every edit: a query there
// for each label, though nearly always answered "none", cost a third of
// the labels a second at 64 clients on PostgreSQL.
type blindCache struct {
	mu sync.Mutex
	at map[int64]blindEntry
}

type blindEntry struct {
	articles map[int64]bool
	read     time.Time
}

// articles returns the articles userID is blind to, read through load
// when what the cache has is older than blindCacheTTL.
func (c *blindCache) articles(ctx context.Context, userID int64, load func(ctx context.Context) (map[int64]bool, error)) (map[int64]bool, error) {
	c.mu.Lock()
	e, ok := c.at[userID]
	c.mu.Unlock()
	if ok && time.Since(e.read) < blindCacheTTL {
		return e.articles, nil
	}
	read := time.Now()
	arts, err := load(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.at == nil || len(c.at) > 10_000 {
		c.at = map[int64]blindEntry{}
	}
	c.at[userID] = blindEntry{articles: arts, read: read}
	return arts, nil
}

// forget drops what the cache knows of userID: they were just asked for
// an opinion.
func (c *blindCache) forget(userID int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.at, userID)
}

// blindArticlesCached is blindArticles through the service's cache, for
// the paths every label takes; the pages and lists read afresh.
func (s *Service) blindArticlesCached(ctx context.Context, actor models.Actor) (map[int64]bool, error) {
	return s.blind.articles(ctx, actor.ID, func(ctx context.Context) (map[int64]bool, error) {
		return s.blindArticles(ctx, actor)
	})
}
