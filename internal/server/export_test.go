package server

import (
	"fmt"
	"net/http"
)

// EditorProbe is a stand-in editor route for tests of the access contract:
// behind the session middleware and requireEditor, it writes the actor a
// store write would name and leaves a flash message.
func (s *Server) EditorProbe() http.Handler {
	return s.Sessions.LoadAndSave(s.loadUser(s.requireEditor(s.probe())))
}

// AdminProbe is EditorProbe behind requireAdmin.
func (s *Server) AdminProbe() http.Handler {
	return s.Sessions.LoadAndSave(s.loadUser(s.requireAdmin(s.probe())))
}

func (s *Server) probe() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := s.actor(r)
		s.flash(r, "Probe visited.")
		fmt.Fprintf(w, "actor %d %s", a.UserID, a.Name)
	})
}

// SafeNext exposes safeNext to tests.
var SafeNext = safeNext
