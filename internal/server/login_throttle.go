package server

import (
	"strings"
	"sync"
	"time"

	"github.com/go-chi/httprate"

	"summitledger/internal/ledger"
)

// throttleWindow is how far back failed sign-ins count.
const throttleWindow = time.Minute

// loginThrottle limits failed sign-ins per client address and per account
// and address. Only failures count: a successful sign-in gives its
// reservation back. Because no limit is kept per account alone, nobody can
// lock an editor out by failing to sign in as them from elsewhere: the
// right password from an address that has not failed is never refused.
type loginThrottle struct {
	address, account *attemptLimiter
}

func newLoginThrottle(perAddress, perAccount int) *loginThrottle {
	return &loginThrottle{address: newAttemptLimiter(perAddress, throttleWindow),
		account: newAttemptLimiter(perAccount, throttleWindow)}
}

// throttleKeys are the keys one sign-in attempt counts under: the client
// address (IPv6 by /64, as one household or host holds a /64) and the
// lower-cased email with that address.
func throttleKeys(client, email string) (address, account string) {
	address = httprate.CanonicalizeIP(client)
	return address, strings.ToLower(ledger.NormalizeEmail(email)) + " " + address
}

// reserve counts an attempt from client to email before the password is
// checked, so that parallel guesses cannot slip past the limit; false when
// either limit is reached, and then nothing is counted.
func (t *loginThrottle) reserve(client, email string) bool {
	address, account := throttleKeys(client, email)
	if !t.address.take(address) {
		return false
	}
	if !t.account.take(account) {
		t.address.giveBack(address)
		return false
	}
	return true
}

// succeeded gives back a reservation: successful sign-ins never count.
func (t *loginThrottle) succeeded(client, email string) {
	address, account := throttleKeys(client, email)
	t.address.giveBack(address)
	t.account.giveBack(account)
}

// attemptLimiter counts attempts per key over a sliding window, in memory.
// A key holds at most limit times, and keys with none left in the window
// are swept once a window, so memory stays bounded by the attempts of the
// last minute.
type attemptLimiter struct {
	mu        sync.Mutex
	limit     int
	window    time.Duration
	now       func() time.Time
	hits      map[string][]time.Time
	nextSweep time.Time
}

func newAttemptLimiter(limit int, window time.Duration) *attemptLimiter {
	return &attemptLimiter{limit: limit, window: window, now: time.Now, hits: map[string][]time.Time{}}
}

// take counts an attempt under key, unless key already has limit attempts
// within the window: then it reports false and counts nothing.
func (l *attemptLimiter) take(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if now.After(l.nextSweep) {
		for k, hs := range l.hits {
			if len(hs) == 0 || now.Sub(hs[len(hs)-1]) >= l.window {
				delete(l.hits, k)
			}
		}
		l.nextSweep = now.Add(l.window)
	}
	hs := l.hits[key]
	for len(hs) > 0 && now.Sub(hs[0]) >= l.window {
		hs = hs[1:]
	}
	if len(hs) >= l.limit {
		l.hits[key] = hs
		return false
	}
	l.hits[key] = append(hs, now)
	return true
}

// giveBack uncounts the latest attempt under key.
func (l *attemptLimiter) giveBack(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if hs := l.hits[key]; len(hs) > 0 {
		l.hits[key] = hs[:len(hs)-1]
	}
}
