// Package outbox delivers what factdesk's durable outbox holds — mail
// through the newsroom's relay, webhook calls — leasing due messages so
// that several server processes on one database send each exactly once,
// retrying with backoff, and recording every attempt.
//
// A message is written to the outbox table in the transaction of the event
// it tells of (see models), so it exists exactly when the event does. Each
// serve process runs one Worker. A Worker leases a batch of due messages
// under its own owner name (models.Store.ClaimOutbox: FOR UPDATE SKIP LOCKED
// on PostgreSQL, the single writer on SQLite), delivers them side by side
// with the Deliverer of their kind, each within Options.Timeout, and
// records each outcome in one transaction that also checks it still holds
// the lease (models.Store.FinishOutbox): sent, given up, or due again after
// a backoff (5 s, 30 s, 2 min, 10 min, 30 min, then hourly, with jitter; up
// to 30 attempts or 24 hours). A message of a kind this process has no
// Deliverer for (mail without a relay) is not leased and stays queued.
//
// Exactly once, and its limit. The lease (2 min) is longer than a delivery
// may take (30 s), so while one process delivers, no other can lease the
// message; the outcome is recorded only by the lease holder. Close (and the
// end of Run's context) stops leasing, lets the deliveries in flight finish
// and records them, then releases the leases it has not used. What no
// database can close is the gap between the receiver's acceptance (the
// relay's 250 after DATA, the webhook's 2xx) and the record of it: a
// process killed there (kill -9, power loss), or a database unreachable for
// the whole of the record's retries, leaves the message leased but unsent,
// and once the lease runs out another process sends it again. It goes with
// the same Message-ID (mail) or webhook-id header (webhooks), the outbox's
// MessageID, so that a receiver can drop the copy. Delivery is therefore at
// least once, and exactly once unless a process dies in that gap. Servers'
// clocks should agree (NTP): the lease is compared against the claiming
// server's clock, and skew eats into the margin between lease and timeout.
package outbox
