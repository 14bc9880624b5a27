package models

// WriteSentenceSQL is the PostgreSQL label statement, for the external
// tests that check the schema keeps it a HOT update.
const WriteSentenceSQL = writeEditsSQL

// HoldWriteTurns takes every turn of db's label batcher, so that edits
// queue until release is called; the tests use it to make a batch.
func HoldWriteTurns(db *DB) (release func()) {
	var turns chan struct{}
	if db.sqliteEdits != nil {
		turns = db.sqliteEdits.turns
	} else {
		turns = db.pgEdits.turns
	}
	for range cap(turns) {
		turns <- struct{}{}
	}
	return func() {
		for range cap(turns) {
			<-turns
		}
	}
}

// QueuedWrites is how many edits wait in db's label batcher.
func QueuedWrites(db *DB) int {
	if db.sqliteEdits != nil {
		return queued(db.sqliteEdits)
	}
	return queued(db.pgEdits)
}

func queued[J any](b *batcher[J]) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.queue)
}
