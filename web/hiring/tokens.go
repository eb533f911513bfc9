package hiring

import (
	"net/http"

	"interviewplanner/web"
)

// TokenList: GET /settings/tokens — personal API tokens.
func (f *Feature) TokenList(w http.ResponseWriter, r *http.Request) {
	f.renderTokens(w, r, http.StatusOK, web.Page{}, "")
}

func (f *Feature) renderTokens(w http.ResponseWriter, r *http.Request, status int, p web.Page, created string) {
	me := web.UserFrom(r.Context())
	tokens, err := f.Store.ListAPITokens(r.Context(), me.AccountID, me.ID)
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	p.Title = "API tokens"
	p.Data = map[string]any{"Tokens": tokens, "Created": created, "BaseURL": f.s.BaseURL}
	f.s.Render(w, r, status, "hiring_tokens", p)
}

// TokenCreate: POST /settings/tokens — the token is shown once.
func (f *Feature) TokenCreate(w http.ResponseWriter, r *http.Request) {
	if err := web.ParseForm(w, r); err != nil {
		f.s.Error(w, r, err)
		return
	}
	me := web.UserFrom(r.Context())
	token, hash := web.NewToken()
	if _, err := f.Store.CreateAPIToken(r.Context(), me.AccountID, me.ID, r.PostForm.Get("name"), hash); err != nil {
		f.fail(w, r, err, func(p web.Page) { f.renderTokens(w, r, http.StatusUnprocessableEntity, p, "") })
		return
	}
	f.renderTokens(w, r, http.StatusOK, web.Page{Flash: "Token created. Copy it now: it is not shown again."}, token)
}

// TokenDelete: POST /settings/tokens/{id}/delete.
func (f *Feature) TokenDelete(w http.ResponseWriter, r *http.Request) {
	me := web.UserFrom(r.Context())
	id, err := web.PathID(r, "id")
	if err == nil {
		err = f.Store.DeleteAPIToken(r.Context(), me.AccountID, me.ID, id)
	}
	if err != nil {
		f.s.Error(w, r, err)
		return
	}
	f.s.RedirectWithFlash(w, r, "/settings/tokens", "Token deleted.")
}
