package app

import "context"

// openHiring wires jobs, stages, interviewers, candidates and schedules:
// their pages and API, the job queue and the meeting worker.
func (m *Main) openHiring(ctx context.Context) error {
	return nil
}
