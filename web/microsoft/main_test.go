package microsoft_test

import (
	"os"
	"testing"

	"interviewplanner/app/apptest/browsertest"
)

func TestMain(m *testing.M) { os.Exit(browsertest.Run(m)) }
