package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"summitledger/web"
)

// Routes returns every route of the application, in one list.
func (s *Server) Routes() http.Handler {
	s.configureSessions()
	r := chi.NewRouter()
	r.Use(middleware.Recoverer)
	r.Use(s.logRequests)
	r.Use(securityHeaders)
	r.Use(s.clientIP())
	// CSRF: refuses cross-origin POSTs (Sec-Fetch-Site, Origin) with 403.
	r.Use(s.crossOriginProtection().Handler)
	r.Use(s.Sessions.LoadAndSave)
	r.Use(s.loadUser)

	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	r.Handle("/static/*", web.StaticHandler())

	r.Get("/", s.home)

	// Reader pages
	r.Get("/countries", s.countryIndex)
	r.Get("/countries/{slug}", s.countryShow)
	r.Get("/deals", s.dealList)
	r.Get("/deals.csv", s.dealExport("csv"))
	r.Get("/deals.json", s.dealExport("json"))
	r.Get("/deals/{id}", s.dealRedirect)
	r.Get("/deals/{id}/{slug}", s.dealShow)
	r.Get("/u/{id}", s.updatePermalink)
	r.Get("/organizations/{slug}", s.organizationShow)
	r.Get("/summits/{slug}", s.summitShow)
	r.Get("/methodology", s.methodology)

	// Accounts
	r.Get("/login", s.loginForm)
	r.With(append([]func(http.Handler) http.Handler{limitBody(16 << 10)}, s.loginThrottles()...)...).Post("/login", s.login)
	r.Post("/logout", s.logout)

	// Editor routes
	r.Group(func(r chi.Router) {
		r.Use(s.requireEditor)
	})

	// Admin routes
	r.Group(func(r chi.Router) {
		r.Use(s.requireAdmin)
		r.Get("/admin/users", s.adminUsers)
		r.With(limitBody(16<<10)).Post("/admin/users", s.inviteUser)
		r.Post("/admin/users/{id}/disable", s.disableUser)
		r.Post("/admin/users/{id}/enable", s.enableUser)
	})

	r.NotFound(func(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) })
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		s.errorPage(w, r, http.StatusMethodNotAllowed, "Method not allowed", "This address does not take that kind of request.")
	})
	return r
}
