package routes

import (
	"strconv"

	"github.com/gin-gonic/gin"

	"factdesk/models"
)

// pageParams reads the keyset of a list's page: cursor (the next_cursor
// of the page before; 0 for the first) and limit (0 for the list's
// default, at most 200).
func pageParams(c *gin.Context) (before int64, limit int, err error) {
	if v := c.Query("cursor"); v != "" {
		before, err = strconv.ParseInt(v, 10, 64)
		if err != nil || before <= 0 {
			return 0, 0, models.FieldError("cursor", "the cursor must be the next_cursor of a previous page")
		}
	}
	if v := c.Query("limit"); v != "" {
		limit, err = strconv.Atoi(v)
		if err != nil || limit < 1 || limit > 200 {
			return 0, 0, models.FieldError("limit", "limit must be a number from 1 to 200")
		}
	}
	return before, limit, nil
}
