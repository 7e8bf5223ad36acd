package server

// CacheLive reports whether the page cache is serving: its LISTEN is in force.
func (s *Server) CacheLive() bool { return s.cache.live.Load() }

// CacheCleared returns a channel closed the next time the page cache is cleared.
func (s *Server) CacheCleared() <-chan struct{} { return s.cache.clearedChan() }

// CacheHits returns how many requests the page cache answered.
func (s *Server) CacheHits() uint64 { return s.cache.hits.Load() }
