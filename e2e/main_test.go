package e2e

import (
	"os"
	"testing"

	"interviewplanner/app/apptest/browsertest"
)

func TestMain(m *testing.M) { os.Exit(browsertest.Run(m)) }
