package routes

import (
	_ "embed"
	"net/http"

	"github.com/gin-gonic/gin"
)

// openAPIDocument describes /api/v1. A test checks that it names exactly
// the routes the router registers, so the two cannot drift apart.
//
//go:embed openapi.json
var openAPIDocument []byte

// OpenAPIDocument returns the OpenAPI description of the API.
func OpenAPIDocument() []byte { return openAPIDocument }

func (h *Handler) openAPI(c *gin.Context) {
	c.Header("Cache-Control", "no-cache")
	c.Data(http.StatusOK, "application/json", openAPIDocument)
}
