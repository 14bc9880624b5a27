package reviewers

import (
	"context"
	"encoding/json"

	"factdesk/live"
	"factdesk/models"
)

// SetBroker makes the service tell a live broker about every change; by
// default it tells nobody.
func (s *Service) SetBroker(b live.Broker) { s.broker = b }

// Broker returns the live broker, or nil.
func (s *Service) Broker() live.Broker { return s.broker }

// publish tells the people watching an article about a change. It runs
// after the change committed; a failure to publish is logged, not
// returned, because the change itself stands (pages resynchronise).
func (s *Service) publish(ctx context.Context, actor models.Actor, typ string, articleID, entityID int64, version int, data any) {
	if s.broker == nil {
		return
	}
	e := live.Event{Type: typ, ArticleID: articleID, EntityID: entityID, Version: version, ActorID: actor.ID, Actor: actor.Name}
	if data != nil {
		b, err := json.Marshal(data)
		if err == nil {
			e.Data = b
		}
	}
	if err := s.broker.Publish(context.WithoutCancel(ctx), e); err != nil {
		s.logger.Warn("publish live event", "type", typ, "article", articleID, "error", err)
	}
}

func (s *Service) publishSentence(ctx context.Context, actor models.Actor, st *models.Sentence) {
	s.publish(ctx, actor, "sentence", st.ArticleID, st.ID, st.Version, st)
}
