package reviewers

import "factdesk/reviewers/machine"

// ConfidentThreshold is the confidence from which the machine reviewer's
// suggestions count as confident: what "accept the confident suggestions"
// accepts (AcceptScope.Confident).
func (s *Service) ConfidentThreshold() float64 { return machine.Confident }
