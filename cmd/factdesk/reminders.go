package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"factdesk/reviewers"
)

// reminderEvery is how often serve looks for assignments coming due or
// overdue; a reminder is at most this late.
const reminderEvery = time.Minute

// startReminders sends the due-soon and overdue reminders every
// reminderEvery until the returned function is called (which waits for a
// round in progress). Several servers may run it at once: each reminder
// is claimed by one of them.
func startReminders(ctx context.Context, svc *reviewers.Service, log *slog.Logger) func() {
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(reminderEvery)
		defer tick.Stop()
		for {
			n, err := svc.NotifyDue(ctx)
			if err != nil && ctx.Err() == nil {
				log.Warn("due reminders", "error", err)
			} else if n > 0 {
				log.Info("due reminders sent", "count", n)
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	return func() { cancel(); wg.Wait() }
}
