package models

import (
	"sync"
	"time"
)

// DefaultTokenCacheTTL is how long a process trusts an API token it has looked up
// before asking the database again. Every API request authenticates, and
// the lookup was a database round trip and a wait for a pooled connection
// in front of every label; a label client sends hundreds a minute. A
// token revoked or an account disabled or changed in this process stops
// working at once (the cache is emptied when the change commits); another
// process serving the same database notices within this time.
const DefaultTokenCacheTTL = 5 * time.Second

// tokenCacheMax bounds the tokens remembered; past it, expired entries
// go, and if that is not enough, all of them.
const tokenCacheMax = 4096

// tokenCache remembers recent successful token lookups by token hash.
// Failed lookups are never remembered.
type tokenCache struct {
	ttl     time.Duration // 0: remember nothing
	mu      sync.Mutex
	gen     uint64 // moves on every clear, see get and put
	entries map[string]tokenEntry
}

type tokenEntry struct {
	t     APIToken
	u     User
	until time.Time
}

func newTokenCache(ttl time.Duration) *tokenCache {
	switch {
	case ttl == 0:
		ttl = DefaultTokenCacheTTL
	case ttl < 0:
		ttl = 0
	}
	return &tokenCache{ttl: ttl, entries: make(map[string]tokenEntry)}
}

// get returns the remembered token and user for hash, if fresh, and the
// cache's generation, which a later put of a lookup made now must bring.
func (c *tokenCache) get(hash string, now time.Time) (t APIToken, u User, ok bool, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[hash]
	if ok && now.After(e.until) {
		delete(c.entries, hash)
		ok = false
	}
	return e.t, e.u, ok, c.gen
}

// put remembers a lookup that began at generation gen, unless the cache
// was cleared since: a lookup that raced a revocation must not outlive it.
func (c *tokenCache) put(hash string, t APIToken, u User, gen uint64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen || c.ttl == 0 {
		return
	}
	if len(c.entries) >= tokenCacheMax {
		for h, e := range c.entries {
			if now.After(e.until) {
				delete(c.entries, h)
			}
		}
		if len(c.entries) >= tokenCacheMax {
			clear(c.entries)
		}
	}
	c.entries[hash] = tokenEntry{t: t, u: u, until: now.Add(c.ttl)}
}

// touch records a token's last use in its entry.
func (c *tokenCache) touch(hash string, at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[hash]; ok {
		e.t.LastUsedAt = &at
		c.entries[hash] = e
	}
}

// clear forgets every token: a token was revoked or a user changed.
func (c *tokenCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.entries)
}
