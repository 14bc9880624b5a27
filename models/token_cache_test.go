package models

import (
	"testing"
	"time"
)

// A lookup that read the database before a revocation committed must not
// be remembered after the cache was cleared for it.
func TestTokenCacheRefusesLookupsOlderThanAClear(t *testing.T) {
	c := newTokenCache(time.Minute)
	now := time.Now()
	_, _, ok, gen := c.get("h", now)
	if ok {
		t.Fatal("empty cache answered")
	}
	c.clear() // a revocation commits while the lookup reads
	c.put("h", APIToken{ID: 1}, User{ID: 1}, gen, now)
	if _, _, ok, _ := c.get("h", now); ok {
		t.Fatal("a lookup begun before a clear was remembered after it")
	}
	_, _, _, gen = c.get("h", now)
	c.put("h", APIToken{ID: 1}, User{ID: 1}, gen, now)
	if tok, _, ok, _ := c.get("h", now); !ok || tok.ID != 1 {
		t.Fatal("a fresh lookup was not remembered")
	}
	if _, _, ok, _ := c.get("h", now.Add(time.Minute+time.Second)); ok {
		t.Fatal("an entry outlived its TTL")
	}
	off := newTokenCache(-1)
	_, _, _, gen = off.get("h", now)
	off.put("h", APIToken{ID: 1}, User{ID: 1}, gen, now)
	if _, _, ok, _ := off.get("h", now); ok {
		t.Fatal("a cache with a negative TTL remembered a lookup")
	}
}
