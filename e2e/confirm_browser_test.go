package e2e

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"interviewplanner/app/apptest/browsertest"
)

// answerDialogs answers every confirm() with accept's value at that moment
// and reports each dialog's message.
func answerDialogs(b *browsertest.Browser, accept *atomic.Bool) <-chan string {
	msgs := make(chan string, 8)
	opening := chromedp.Events(b.Ctx, page.JavascriptDialogOpening)
	go func() {
		for e, err := range opening {
			if err != nil {
				return
			}
			msgs <- e.Message
			go chromedp.Do(b.Ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
				_, err := cdp.Call(ctx, t, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: accept.Load()})
				return err
			}))
		}
	}()
	return msgs
}

// Disconnect asks first: dismissing keeps Zoom connected, confirming
// disconnects.
func TestBrowserDisconnectAsksFirst(t *testing.T) {
	a, z := startWithZoom(t)
	b := browsertest.New(t)
	b.SignIn(a.URL, "admin@example.com")
	connectZoomAs(b, a, z, "admin@example.com")
	b.Do(chromedp.WaitVisible(chromedp.CSS(`#zoom-disconnect`)))
	var accept atomic.Bool
	msgs := answerDialogs(b, &accept)
	b.Do(chromedp.Click(chromedp.CSS(`#zoom-disconnect`)))
	if m := <-msgs; m == "" {
		t.Fatal("no confirmation shown")
	}
	b.Do(chromedp.Navigate(a.URL+"/integrations?edit=1"), chromedp.WaitVisible(chromedp.CSS(`#zoom-state`)))
	if got := b.Text(`#zoom-state`); got != "Connected" {
		t.Fatalf("after dismissing, state = %q", got)
	}
	accept.Store(true)
	b.Do(chromedp.Click(chromedp.CSS(`#zoom-disconnect`)))
	<-msgs
	b.Do(chromedp.WaitVisible(chromedp.CSS(`#zoom-connect`)))
	if got := b.Text(`#zoom-state`); got != "Not connected" {
		t.Fatalf("after confirming, state = %q", got)
	}
}
