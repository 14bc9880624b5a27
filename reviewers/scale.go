package reviewers

import "factdesk/codebook"

// Scale returns the newsroom's rating scale, whose ratings are the
// verdicts a checker may give (the review page lists them).
func (s *Service) Scale() codebook.Scale { return s.scale }
