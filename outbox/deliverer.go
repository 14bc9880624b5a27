package outbox

import (
	"context"

	"factdesk/models"
)

// Result is the outcome of one delivery attempt.
type Result struct {
	// Status is the receiver's answer code (an HTTP status, an SMTP reply
	// code), 0 when none came back.
	Status int
	// Err is why the attempt failed; nil means delivered.
	Err error
	// Permanent means trying again cannot help (a 4xx the receiver will
	// repeat, an address the relay refuses): the message is given up.
	Permanent bool
}

// Deliverer delivers outbox messages of one kind (models.OutboxEmail,
// models.OutboxWebhook).
type Deliverer interface {
	Deliver(ctx context.Context, m *models.OutboxMessage) Result
}
