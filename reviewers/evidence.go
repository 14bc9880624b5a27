package reviewers

import (
	"factdesk/codebook"
	"factdesk/models"
)

// checkEvidence enforces the sourcing rules of a status: verified needs a
// supporting or origin citation, disputed a contradicting one. Only those
// two statuses look at the citations, so other edits cost no query.
func checkEvidence(e *models.SentenceEdit, next models.SentenceState) error {
	status := codebook.Status(next.Status)
	if status != codebook.Verified && status != codebook.Disputed {
		return nil
	}
	if next.Status == string(e.Sentence.Status) {
		// Already so: changing the label or note of a verified sentence
		// does not re-examine its sources.
		return nil
	}
	rel, err := e.CitationRelations()
	if err != nil {
		return err
	}
	switch status {
	case codebook.Verified:
		if rel[codebook.Supports]+rel[codebook.Origin] == 0 {
			return models.FieldError("status", "verified needs a source that supports the claim or is its origin: cite one first")
		}
	case codebook.Disputed:
		if rel[codebook.Contradicts] == 0 {
			return models.FieldError("status", "disputed needs a source that contradicts the claim: cite one first")
		}
	}
	return nil
}
