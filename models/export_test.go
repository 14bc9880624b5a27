package models

// WriteSentenceSQL is the PostgreSQL label statement, for the external
// tests that check the schema keeps it a HOT update.
const WriteSentenceSQL = writeSentenceSQL

// HoldWriteTurns takes every turn of db's label batcher, so that edits
// queue until release is called; the tests use it to make a batch.
func HoldWriteTurns(db *DB) (release func()) {
	b := db.writes
	for range cap(b.turns) {
		b.turns <- struct{}{}
	}
	return func() {
		for range cap(b.turns) {
			<-b.turns
		}
	}
}

// QueuedWrites is how many edits wait in db's label batcher.
func QueuedWrites(db *DB) int {
	b := db.writes
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.queue)
}
