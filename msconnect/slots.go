package msconnect

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"strings"
	"time"

	"interviewplanner/msgraph"
)

// slotTTL bounds how long a crashed instance keeps a mailbox's place; a
// live holder renews it at a third of that.
const slotTTL = 30 * time.Second

// Slots is the service as msgraph.Slots: a mailbox's four places are rows
// every instance shares, so Outlook's four-requests rule holds however
// many instances send.
type Slots struct{ S *Service }

// Acquire implements msgraph.Slots.
func (c Slots) Acquire(ctx context.Context, tenant, mailbox string) (func(), error) {
	s := c.S
	accountID, ok := s.accountOf(tenant)
	if !ok {
		return nil, errors.New("msconnect: unknown tenant")
	}
	key := strings.ToLower(mailbox)
	if strings.Contains(key, "@") {
		id, err := s.Store.GetMailboxID(ctx, accountID, mailbox)
		if err != nil {
			return nil, err
		}
		if id != "" {
			key = id
		}
	}
	b := make([]byte, 12)
	_, _ = crand.Read(b)
	holder := s.instance + "/" + hex.EncodeToString(b)
	wait := 5 * time.Millisecond
	for {
		took, err := s.Store.TakeSlot(ctx, accountID, key, msgraph.MailboxConcurrency, holder, s.cfg.DB.Now().Add(slotTTL))
		if err != nil {
			return nil, err
		}
		if took {
			break
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait + rand.N(wait)):
		}
		wait = min(wait*2, 200*time.Millisecond)
	}
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(slotTTL / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				_, _ = s.Store.RenewSlot(context.WithoutCancel(ctx), accountID, key, holder, s.cfg.DB.Now().Add(slotTTL))
			}
		}
	}()
	return func() {
		close(done)
		_ = s.Store.ReleaseSlot(context.WithoutCancel(ctx), accountID, key, holder)
	}, nil
}
