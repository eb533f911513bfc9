package web

import "net/http"

// Home: GET / — the dashboard, or the sign-in page for visitors.
func (s *Server) Home(w http.ResponseWriter, r *http.Request) {
	u := UserFrom(r.Context())
	if u == nil {
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return
	}
	acct, err := s.DB.GetAccount(r.Context(), u.AccountID)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	var notices []Banner
	for _, n := range s.notices {
		notices = append(notices, n(r, u)...)
	}
	s.Render(w, r, http.StatusOK, "home", Page{Title: "Home", Data: map[string]any{"Account": acct, "Notices": notices}})
}
