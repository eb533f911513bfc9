package domain_test

import (
	"errors"
	"fmt"
	"io"
	"testing"

	"interviewplanner/domain"
)

func TestErrorKeepsCause(t *testing.T) {
	err := fmt.Errorf("saving: %w", domain.Wrap(io.ErrUnexpectedEOF, domain.EUNAVAILABLE, "Zoom did not answer."))
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("errors.Is(cause) = false for %v", err)
	}
	de, ok := domain.AsError(err)
	if !ok || de.Code != domain.EUNAVAILABLE {
		t.Fatalf("AsError = %v, %v", de, ok)
	}
	if domain.ErrorMessage(err) != "Zoom did not answer." {
		t.Errorf("message = %q: the cause must not reach the user", domain.ErrorMessage(err))
	}
	if want := "unavailable: Zoom did not answer.: unexpected EOF"; de.Error() != want {
		t.Errorf("Error() = %q, want %q", de.Error(), want)
	}
	if fields := domain.ErrorFields(fmt.Errorf("x: %w", domain.Invalid(map[string]string{"email": "Bad."}))); fields["email"] != "Bad." {
		t.Errorf("ErrorFields = %v", fields)
	}
	if domain.ErrorFields(io.EOF) != nil || domain.ErrorCode(io.EOF) != domain.EINTERNAL {
		t.Error("a plain error has fields or a code")
	}
}

func TestFoundTurnsOnlyNotFoundIntoNil(t *testing.T) {
	v := 1
	if got, err := domain.Found(&v, domain.Errorf(domain.ENOTFOUND, "gone")); got != nil || err != nil {
		t.Errorf("not found: %v, %v; want nil, nil", got, err)
	}
	other := domain.Errorf(domain.EINVALID, "bad")
	if got, err := domain.Found(&v, other); got != &v || err != other {
		t.Errorf("other error: %v, %v; want it passed on", got, err)
	}
	if got, err := domain.Found(&v, nil); got != &v || err != nil {
		t.Errorf("found: %v, %v", got, err)
	}
}
