// Package errs defines aimaq's one error type: a kind that decides the HTTP
// status or exit code, and a message that is safe to show to a user.
package errs

import (
	"errors"
	"fmt"
)

// Kind classifies an error for the caller: what went wrong, not where.
type Kind int

const (
	// Internal is anything the user cannot fix; its text is never shown to clients.
	Internal Kind = iota
	// Invalid means the request or input file is malformed.
	Invalid
	// NotFound means the named thing does not exist.
	NotFound
	// Unavailable means a dependency (the database) is not ready or timed out.
	Unavailable
	// Unauthorized means a write came without a valid token (or its token
	// was revoked while the write was under way).
	Unauthorized
)

func (k Kind) String() string {
	switch k {
	case Invalid:
		return "invalid"
	case NotFound:
		return "not found"
	case Unavailable:
		return "unavailable"
	case Unauthorized:
		return "unauthorized"
	default:
		return "internal"
	}
}

// Error is an error with a kind and a user-facing message.
type Error struct {
	Kind    Kind
	Message string // safe to show to a user: names the problem and the place
	Err     error  // underlying cause, for logs only
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// E builds an error of kind k with a formatted user-facing message.
func E(k Kind, format string, args ...any) error {
	return &Error{Kind: k, Message: fmt.Sprintf(format, args...)}
}

// Wrap attaches kind k and a message to err.
func Wrap(k Kind, err error, format string, args ...any) error {
	return &Error{Kind: k, Message: fmt.Sprintf(format, args...), Err: err}
}

// KindOf returns the kind of the first *Error in err's chain, or Internal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// Message returns the user-facing message of the first *Error in err's chain,
// or a generic text for errors that carry none.
func Message(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Kind != Internal {
		return e.Message
	}
	return "internal error"
}

// Shorten cuts a value a client sent to a length an error message can quote:
// a message names the bad value, but must not echo a megabyte back.
func Shorten(s string) string {
	const n = 40
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
