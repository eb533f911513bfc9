package domain

import (
	"errors"
	"fmt"
)

// Error codes. Adapters map each to one HTTP status in one place.
const (
	ECONFLICT     = "conflict"     // the change clashes with existing data
	EINTERNAL     = "internal"     // a bug or an outage; details are logged, not shown
	EINVALID      = "invalid"      // the input is malformed or breaks a rule
	ENOTFOUND     = "not_found"    // missing, or belongs to another account
	EUNAUTHORIZED = "unauthorized" // not signed in, or bad credentials
	EFORBIDDEN    = "forbidden"    // signed in, but the role does not allow it
	ETOOMANY      = "too_many"     // slowed down: try again later
	EUNAVAILABLE  = "unavailable"  // a dependency (database, Zoom) does not answer
)

// Error is an error whose message is safe to show to the user.
type Error struct {
	Code    string
	Message string
	// Fields holds per-field messages for forms and RFC 9457 "errors".
	Fields map[string]string
	// Err is the underlying cause: logged and reachable with errors.Is and
	// errors.As, never shown to the user.
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with a formatted, user-safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an *Error with a formatted, user-safe message whose cause is
// err.
func Wrap(err error, code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: err}
}

// Invalid returns an EINVALID error carrying per-field messages.
func Invalid(fields map[string]string) *Error {
	msg := "Please correct the highlighted fields."
	if len(fields) == 1 {
		for _, m := range fields {
			msg = m
		}
	}
	return &Error{Code: EINVALID, Message: msg, Fields: fields}
}

// ErrorCode returns the code of an *Error in err's chain, else EINTERNAL.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of err; internal errors get a
// generic text so nothing sensitive leaks.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong on our side. Please try again; if it keeps happening, contact support."
}

// AsError returns the first *Error in err's chain.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// ErrorFields returns the per-field messages of the *Error in err's chain.
func ErrorFields(err error) map[string]string {
	if e, ok := AsError(err); ok {
		return e.Fields
	}
	return nil
}

// IsCode reports whether err carries the given code.
func IsCode(err error, code string) bool { return ErrorCode(err) == code }

// Found turns a lookup's ENOTFOUND into nil and no error, for records
// whose absence is a state (an account that never connected a provider).
func Found[T any](v *T, err error) (*T, error) {
	if IsCode(err, ENOTFOUND) {
		return nil, nil
	}
	return v, err
}
