package reviewers

import (
	"fmt"

	"factdesk/models"
)

// Action is something a role may or may not do.
type Action string

// The actions the policy knows. Each route names the one it needs.
const (
	ActRead        Action = "read articles"
	ActExport      Action = "export reports"
	ActImport      Action = "import articles"
	ActEdit        Action = "label and edit sentences"
	ActComment     Action = "comment"
	ActEditSources Action = "edit sources"
	ActSubmit      Action = "submit reviews"
	ActDecide      Action = "approve, request changes or reopen"
	ActManageUsers Action = "manage users"
	ActOwnTokens   Action = "manage own API tokens"
	ActAssign      Action = "assign articles to checkers"
	ActSelfAssign  Action = "take an article for themselves"
	ActWebhooks    Action = "manage webhooks"
)

// grants lists what each role may do (PRODUCT.md, "Who uses it").
var grants = map[models.Role]map[Action]bool{
	models.RoleViewer: {ActRead: true, ActExport: true, ActOwnTokens: true},
	models.RoleChecker: {ActRead: true, ActExport: true, ActOwnTokens: true,
		ActImport: true, ActEdit: true, ActComment: true, ActEditSources: true, ActSubmit: true, ActSelfAssign: true},
	models.RoleEditor: {ActRead: true, ActExport: true, ActOwnTokens: true,
		ActImport: true, ActEdit: true, ActComment: true, ActEditSources: true, ActSubmit: true, ActDecide: true,
		ActAssign: true, ActSelfAssign: true},
	models.RoleAdmin: {ActRead: true, ActExport: true, ActOwnTokens: true,
		ActImport: true, ActEdit: true, ActComment: true, ActEditSources: true, ActSubmit: true, ActDecide: true,
		ActAssign: true, ActSelfAssign: true, ActManageUsers: true, ActWebhooks: true},
}

// Allowed reports whether role may do a.
func Allowed(role models.Role, a Action) bool { return grants[role][a] }

// Authorize returns an EFORBIDDEN error unless the actor may do a.
func Authorize(actor models.Actor, a Action) error {
	if Allowed(actor.Role, a) {
		return nil
	}
	return &models.Error{Code: models.EFORBIDDEN, Message: fmt.Sprintf("a %s may not %s", actor.Role, a)}
}
