package calendars

import (
	"encoding/json"
	"testing"

	"github.com/riverqueue/river"

	"interviewplanner/queue"
)

// A sync someone waits for is the same job as the background one (kind
// and arguments, so one is never queued beside the other) on the default
// queue.
func TestSyncNowIsTheSameJobOnTheDefaultQueue(t *testing.T) {
	bg := SyncArgs{AccountID: 3, SourceID: 9}
	now := syncNowArgs{bg}
	if bg.InsertOpts().Queue != queue.Background || now.InsertOpts().Queue != river.QueueDefault {
		t.Fatalf("queues: background sync %q, sync now %q", bg.InsertOpts().Queue, now.InsertOpts().Queue)
	}
	a, _ := json.Marshal(bg)
	b, _ := json.Marshal(now)
	if string(a) != string(b) || bg.Kind() != now.Kind() {
		t.Fatalf("sync now %s %s, background %s %s", now.Kind(), b, bg.Kind(), a)
	}
	if !now.InsertOpts().UniqueOpts.ByArgs {
		t.Fatal("sync now is not unique while queued")
	}
}
