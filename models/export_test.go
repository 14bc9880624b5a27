package models

// WriteSentenceSQL is the PostgreSQL label statement, for the external
// tests that check the schema keeps it a HOT update.
const WriteSentenceSQL = writeSentenceSQL
