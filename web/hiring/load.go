package hiring

import (
	"context"
	"net/http"

	"interviewplanner/domain"
	"interviewplanner/web"
)

// The loaders below read the {id} of a route and the account's record
// behind it. A page and its JSON twin call the same loader, so both
// answer the same 404 for a malformed, unknown or other account's id and
// apply the same access rule.

// byPathID loads the signed-in account's record named by {id}.
func byPathID[T any](r *http.Request, get func(ctx context.Context, accountID, id int64) (*T, error)) (*T, error) {
	id, err := web.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	return get(r.Context(), web.UserFrom(r.Context()).AccountID, id)
}

// postedByPathID reads a form posted to …/{id} and loads the record it
// changes, as it is before the change.
func postedByPathID[T any](w http.ResponseWriter, r *http.Request, get func(ctx context.Context, accountID, id int64) (*T, error)) (*T, error) {
	if _, err := web.PathIDAndForm(w, r); err != nil {
		return nil, err
	}
	return byPathID(r, get)
}

func (f *Feature) loadJob(r *http.Request) (*domain.Job, error) { return byPathID(r, f.Store.GetJob) }

func (f *Feature) loadStage(r *http.Request) (*domain.Stage, error) {
	return byPathID(r, f.Store.GetStage)
}

func (f *Feature) loadCandidate(r *http.Request) (*domain.Candidate, error) {
	return byPathID(r, f.Store.GetCandidate)
}

func (f *Feature) loadSchedule(r *http.Request) (*domain.Schedule, error) {
	return byPathID(r, f.Store.GetSchedule)
}

// interviewer is an interviewer as their page and the API show them.
type interviewer struct {
	User    *domain.User
	Profile *domain.InterviewerProfile
}

// loadInterviewer loads {id}'s user and profile, for the interviewer
// themself and for schedulers (anyone else gets a 404).
func (f *Feature) loadInterviewer(r *http.Request) (*interviewer, error) {
	me := web.UserFrom(r.Context())
	id, err := web.InterviewerID(r)
	if err != nil {
		return nil, err
	}
	u, err := f.Store.DB.GetUser(r.Context(), me.AccountID, id)
	if err != nil {
		return nil, err
	}
	p, err := f.Store.GetProfile(r.Context(), me.AccountID, id)
	if err != nil {
		return nil, err
	}
	return &interviewer{User: u, Profile: p}, nil
}

// editableInterviewerID is the {id} of an interviewer whose profile the
// signed-in user may change: their own, or anyone's for an admin (a 404
// for whom they cannot see, a 403 for whom they can only see).
func editableInterviewerID(r *http.Request) (int64, error) {
	id, err := web.InterviewerID(r)
	if err != nil {
		return 0, err
	}
	if !web.UserFrom(r.Context()).CanEditInterviewer(id) {
		return 0, domain.Errorf(domain.EFORBIDDEN, "Interviewers edit their own profile; admins edit anyone's.")
	}
	return id, nil
}

// showJSON answers a GET …/{id} of the API: the record load finds,
// through view.
func showJSON[T any](f *Feature, w http.ResponseWriter, r *http.Request, load func(*http.Request) (*T, error), view func(*T) any) {
	v, err := load(r)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	f.s.JSON(w, http.StatusOK, view(v))
}
