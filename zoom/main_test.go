package zoom_test

import (
	"os"
	"testing"

	"interviewplanner/zoomspec"
)

func TestMain(m *testing.M) {
	// Load the API description before any synctest bubble starts, so its
	// one-time initialisation does not belong to a bubble.
	_, _ = zoomspec.Load()
	os.Exit(m.Run())
}
