package web

import (
	"net/http"
	"time"
)

// switchLang sets the interface language in the "lang" cookie
// (GET /lang?to=en&next=/targets) and goes back to the page.
func (s *Server) switchLang(w http.ResponseWriter, r *http.Request) {
	to := r.URL.Query().Get("to")
	if to != "en" {
		to = "vi"
	}
	setLangCookie(w, to)
	http.Redirect(w, r, safeNext(r.URL.Query().Get("next"), "/"), http.StatusSeeOther)
}

func setLangCookie(w http.ResponseWriter, lang string) {
	http.SetCookie(w, &http.Cookie{
		Name:     "lang",
		Value:    lang,
		Path:     "/",
		Expires:  time.Now().AddDate(1, 0, 0),
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
	})
}
