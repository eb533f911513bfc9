package emuhttp_test

import (
	"testing"
	"time"

	"interviewplanner/emuhttp"
)

func TestBaseFillsDefaultsAndStopWaitsForDeliveries(t *testing.T) {
	var b emuhttp.Base
	b.Init(nil, nil, nil, 3*time.Second)
	if b.Now == nil || b.Log == nil || b.Client == nil || b.Client.Timeout != 3*time.Second {
		t.Fatalf("defaults not filled: %+v", b.Client)
	}
	done := false
	b.WG.Add(1)
	go func() {
		defer b.WG.Done()
		<-b.Ctx.Done() // a delivery that gives up when stopped
		done = true
	}()
	b.Stop()
	if !done {
		t.Fatal("Stop returned before the delivery in flight ended")
	}
}
