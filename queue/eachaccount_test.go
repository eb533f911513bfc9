package queue_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"interviewplanner/queue"
)

func TestEachAccountGoesOnPastAFailure(t *testing.T) {
	var ran []int64
	err := queue.EachAccount(context.Background(), nil, "", []int64{1, 2, 3}, func(_ context.Context, id int64) error {
		ran = append(ran, id)
		if id == 2 {
			return errors.New("boom")
		}
		return nil
	})
	if len(ran) != 3 {
		t.Errorf("ran %v, want all three accounts", ran)
	}
	if err == nil || !strings.Contains(err.Error(), "account 2: boom") {
		t.Errorf("err = %v, want account 2's failure", err)
	}
}

func TestEachAccountStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var ran []int64
	err := queue.EachAccount(ctx, nil, "", []int64{1, 2, 3}, func(_ context.Context, id int64) error {
		ran = append(ran, id)
		cancel()
		return errors.New("cancelled")
	})
	if len(ran) != 1 || !errors.Is(err, context.Canceled) {
		t.Errorf("ran %v, err %v; want one account and context.Canceled", ran, err)
	}
}
