// Package scheduler is the "Find times" engine: given the interviews of a
// stage, the loop rules, the candidate's availability and the calendars of
// interviewers, rooms and Zoom hosts, it returns the best complete
// schedules, ranked, or explains why none exists. It is pure: no I/O, no
// clock reads except for the time budget, standard library only.
//
// # Calling it
//
// Fill a [Problem] and call [Find]:
//
//	res, err := scheduler.Find(ctx, scheduler.Problem{
//		Interviews:   []scheduler.Interview{{ID: 1, Duration: 45 * time.Minute, Interviewers: 1, Pool: []int64{7, 9}}},
//		Rules:        scheduler.Rules{SameDay: true, MaxGap: 30 * time.Minute},
//		Candidate:    scheduler.Candidate{Location: ny, Windows: windows},
//		Interviewers: interviewers, // working hours, busy time, load, caps
//		Window:       scheduler.Interval{Start: from, End: to},
//		TopN:         10,
//	})
//
// [Validate] reports malformed input (non-positive durations, unknown pool
// ids, missing time zones, durations off the granularity grid, negative
// weights or weights that could overflow the score, ...) as an error; Find
// calls it first. res.Options holds up to TopN schedules, best first, each
// with different times: schedules that differ only in who sits on an
// interview are one option, with the best interviewers, and [Alternates]
// lists who else could take each seat. res.Exhaustive is false when the
// time budget (Problem.Budget, default 500 ms) or the context ended the
// search early, in which case the options are the best found so far and
// possibly not optimal. The budget and the context also bound preparing
// the calendars: when that alone outlasts the budget, Find returns
// [ErrTooLarge]. When no option exists, res.Explanation names the interview
// that cannot be placed, the constraint that blocks it and the relaxations
// that, re-run through the engine, do produce a schedule; those re-runs
// share one more budget.
//
// Instants may lie anywhere time.Time can express (busy until 9999-12-31,
// available since year 1): only their part inside the search window
// counts, and nothing overflows.
//
// # Model
//
// Time is cut into cells of Problem.Granularity (15 minutes by default, 5
// allowed) aligned to UTC; interviews start on cell boundaries. A day is a
// calendar date in the candidate's time zone; day 0 is the date the search
// window starts on, even when its first cell begins after that midnight. Working hours are wall-clock
// ranges of each interviewer's own time zone, evaluated on each date, so a
// daylight-saving change moves them exactly as the interviewer expects.
//
// Hard rules (never broken): every interview is placed inside the
// candidate's windows and the search window, with the required number of
// distinct interviewers from its pool, each inside working hours and free of
// busy time; interviews do not overlap and consecutive ones are at least
// Rules.Buffer apart, also across the candidate's midnight; with Rules.SameDay all are on one day; consecutive
// interviews on the same day are at most Rules.MaxGap apart (0 means no
// limit); with Rules.FixedOrder they follow the order of Problem.Interviews;
// on a day whose interviews overlap the lunch window the candidate keeps a
// free stretch of Lunch.Length inside it (to the minute, also off the
// grid); an interviewer's existing plus new
// interviews stay within DailyCap and WeeklyCap (ISO weeks, interviewer's
// dates); an interview with Rooms gets one of them, free; a Video interview
// gets a Zoom host without a meeting at that time.
//
// # Objective
//
// Lower is better. The score is a sum of six linear terms, reported
// separately in [Breakdown] (weights in [Weights], defaults in
// [DefaultWeights]):
//
//	Day             = W.Day × Σ_i dayIndex(i)             (days since the window's first date)
//	Idle            = W.IdleMinute × Σ_gaps (gap − Buffer) (minutes, consecutive interviews on a day)
//	Gaps            = W.Gap × #(consecutive interviews on a day more than Buffer apart)
//	Load            = W.Load × Σ_i Σ_{p on i} weekCount(p)  (p's existing interviews that ISO week)
//	InterviewerPref = W.InterviewerPref × #(interviewer, interview) outside p's preferred hours
//	CandidatePref   = W.CandidatePref × #interviews outside the candidate's preferred intervals
//
// Every term is linear in time-indexed assignment variables, which is what
// lets package lpmodel hand the same problem to an integer-programming
// solver and compare optima. Ties are broken deterministically by start
// times, then the interviews' order in Problem.Interviews, then interviewer
// ids; the output never depends on map order.
//
// # Explanations
//
// With no option, Result.Explanation lists Blockers (the interview, a
// [Reason] such as ReasonNoInterviewerFree or ReasonPoolAtLimit, and a
// sentence for the coordinator) and the Relaxations that were re-run through
// the engine and do produce a schedule: extend the window by one day, add one
// named interviewer to a blocked interview's pool, drop the same-day rule.
// Each re-run gets a quarter of the time budget.
//
// # Search
//
// Free time is precomputed once per person as bitsets over the cell grid;
// each start cell keeps only its cheapest candidates, as many as the loop
// has seats, since no best schedule for those times needs anyone else.
// The search places interviews in chronological order (so each schedule is
// produced exactly once), branches on start cell and interviewer set, and
// prunes with an admissible bound: the cost so far plus, for every
// interview not yet placed, its cheapest possible slot later that day.
package scheduler
