package zoomemu_test

import (
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"interviewplanner/zoomemu"
)

// TestConcurrentUse drives the emulator from many goroutines at once; run
// with -race it proves the state is properly guarded.
func TestConcurrentUse(t *testing.T) {
	e := MustStart(t)
	tok := e.MustConnect(t)
	if _, err := e.UpdateAccount(e.account, "", "business"); err != nil {
		t.Fatal(err)
	}
	const workers = 8
	var wg sync.WaitGroup
	created := make(chan int64, workers*5)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 5 {
				r := e.callRaw(t, tok.Access, "POST", "/v2/users/me/meetings", "application/json", []byte(`{"topic":"w`+strconv.Itoa(w)+`-`+strconv.Itoa(i)+`","type":2}`), false)
				if r.status == 201 {
					created <- num(t, r.json(t), "id")
				}
				e.callRaw(t, tok.Access, "GET", "/v2/users?page_size=2", "", nil, false)
				e.Meetings(e.account)
				e.Requests()
				e.TokenStats()
			}
		}()
	}
	// Control-side changes at the same time.
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range 10 {
			e.AddRoom(e.account, "Room "+strconv.Itoa(i))
			e.SetPreApproved(e.account, i%2 == 0)
			e.InjectFault(zoomemu.Fault{PathPattern: "/nowhere", Status: 500, Times: 1})
			e.clock.Advance(100 * time.Millisecond)
		}
	}()
	wg.Wait()
	close(created)
	seen := map[int64]bool{}
	for id := range created {
		if seen[id] {
			t.Fatalf("meeting id %d issued twice", id)
		}
		seen[id] = true
	}
	if got := len(e.Meetings(e.account)); got != len(seen) {
		t.Fatalf("%d meetings stored, %d created", got, len(seen))
	}
}

// TestConcurrentRefreshKeepsOneChain shows rotation under a race: of two
// refreshes with the same token exactly one wins, as with Zoom.
func TestConcurrentRefreshKeepsOneChain(t *testing.T) {
	e := MustStart(t)
	tok := e.MustConnect(t)
	var wg sync.WaitGroup
	statuses := make(chan int, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses <- e.token(t, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.Refresh}}, true).status
		}()
	}
	wg.Wait()
	close(statuses)
	ok := 0
	for s := range statuses {
		if s == 200 {
			ok++
		}
	}
	if ok != 1 {
		t.Fatalf("%d refreshes succeeded with one token, want 1", ok)
	}
}
