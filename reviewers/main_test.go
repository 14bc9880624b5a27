package reviewers_test

import (
	"testing"

	"factdesk/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }
