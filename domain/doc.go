// Package domain holds InterviewPlanner's core types — accounts, users,
// jobs, stages, candidates, schedules — and the error codes every adapter
// maps to its own world (HTTP status, HTML message, RFC 9457 problem).
//
// It imports only the standard library: storage, HTTP, Zoom and email are
// adapters around it.
package domain
