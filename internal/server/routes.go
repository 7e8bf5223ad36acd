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
	r.Use(s.observe)
	r.Use(middleware.Recoverer)
	r.Use(s.bound)                    // before sessions: loading one reads the database
	r.Use(middleware.RedirectSlashes) // /deals/ → 301 /deals
	// HEAD runs the GET handler (link checkers and previews use it); net/http drops the body.
	r.Use(middleware.GetHead)
	r.Use(s.logRequests)
	r.Use(s.securityHeaders)
	r.Use(s.clientIP())
	// CSRF: refuses cross-origin POSTs (Sec-Fetch-Site, Origin) with 403.
	r.Use(s.crossOriginProtection().Handler)
	r.Use(s.Sessions.LoadAndSave)
	r.Use(s.loadUser)
	r.Use(s.textualURL)
	r.Use(s.cachePages)

	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	r.Get("/metrics", s.metricsPage)
	r.Handle("/static/*", web.StaticHandler())

	r.Get("/", s.home)

	// Reader pages
	r.Get("/countries", s.countryIndex)
	r.Get("/countries/{slug}", s.countryShow)
	r.Get("/priorities", s.priorityIndex)
	r.Get("/search", s.search)
	r.Get("/moves", s.moves("html"))
	r.Get("/moves.csv", s.moves("csv"))
	r.Get("/moves.atom", s.moves("atom"))
	r.Get("/deals", s.dealList)
	r.Get("/deals.csv", s.dealExport("csv"))
	r.Get("/deals.json", s.dealExport("json"))
	r.Get("/deals/{id}", s.dealRedirect)
	r.Get("/deals/{id}/{slug}", s.dealShow)
	r.Get("/u/{id}", s.updatePermalink)
	r.Get("/updates.csv", s.updateExport("csv"))
	r.Get("/updates.json", s.updateExport("json"))
	r.Get("/sources/{id}", s.sourceShow)
	r.Get("/organizations", s.organizationIndex)
	r.Get("/organizations/{slug}", s.organizationShow)
	r.Get("/summits", s.summitIndex)
	r.Get("/summits/{slug}", s.summitShow)
	r.Get("/methodology", s.methodology)

	// Atom feeds of status updates
	r.Get("/updates.atom", s.updatesFeed)
	r.Get("/deals/{id}/updates.atom", s.dealFeed)
	r.Get("/countries/{slug}/updates.atom", s.countryFeed)

	// Accounts
	r.Get("/login", s.loginForm)
	s.throttle = newLoginThrottle(s.LoginPerAddress, s.LoginPerAccount)
	r.With(limitBody(loginFormBytes)).Post("/login", s.login)
	r.Post("/logout", s.logout)

	// History: public, like everything the ledger records
	r.Get("/deals/{id}/history", s.dealHistory)
	r.Get("/deals/{id}/{slug}/history", s.dealHistoryRedirect)
	r.Get("/organizations/{slug}/history", s.organizationHistory)
	r.Get("/changes", s.changes)

	// Editor routes
	r.Group(func(r chi.Router) {
		r.Use(s.requireEditor)
		r.Get("/deals/new", s.dealNew)
		r.Post("/deals", s.dealCreate)
		r.Get("/deals/{id}/edit", s.dealEdit)
		r.Post("/deals/{id}/edit", s.dealUpdate)
		r.Get("/deals/{id}/updates/new", s.updateNew)
		r.Post("/deals/{id}/updates", s.updateCreate)
		r.Post("/deals/{id}/verify", s.dealVerify)
		r.Get("/updates/{id}/correct", s.updateCorrectForm)
		r.Post("/updates/{id}/correct", s.updateCorrect)
		r.Get("/countries/{slug}/priorities/new", s.priorityNew)
		r.Post("/countries/{slug}/priorities", s.priorityCreate)
		r.Get("/priorities/{id}/edit", s.priorityEdit)
		r.Post("/priorities/{id}/edit", s.priorityUpdate)
		r.Get("/organizations/new", s.organizationNew)
		r.Post("/organizations", s.organizationCreate)
		r.Get("/organizations/{slug}/edit", s.organizationEdit)
		r.Post("/organizations/{slug}/edit", s.organizationUpdate)
	})

	// Admin routes
	r.Group(func(r chi.Router) {
		r.Use(s.requireAdmin)
		r.Get("/admin/users", s.adminUsers)
		r.With(limitBody(16<<10)).Post("/admin/users", s.inviteUser)
		r.Post("/admin/users/{id}/disable", s.disableUser)
		r.Post("/admin/users/{id}/enable", s.enableUser)
		r.Get("/admin/users/{id}/password", s.userPasswordForm)
		r.With(limitBody(16<<10)).Post("/admin/users/{id}/password", s.userPasswordSet)
		r.Get("/deals/{id}/delete", s.dealReasonForm(s.dealDeleteAction, "delete"))
		r.Post("/deals/{id}/delete", s.dealReasonSubmit(s.dealDeleteAction, "delete"))
		r.Get("/deals/{id}/restore", s.dealReasonForm(s.dealRestoreAction, "restore"))
		r.Post("/deals/{id}/restore", s.dealReasonSubmit(s.dealRestoreAction, "restore"))
		r.Get("/priorities/{id}/delete", s.priorityReason(true))
		r.Post("/priorities/{id}/delete", s.priorityReason(true))
		r.Get("/priorities/{id}/restore", s.priorityReason(false))
		r.Post("/priorities/{id}/restore", s.priorityReason(false))
	})

	r.NotFound(func(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) })
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		s.errorPage(w, r, http.StatusMethodNotAllowed, "Method not allowed", "This address does not take that kind of request.")
	})
	return r
}
