package server

import (
	"testing"
	"time"
)

func TestAttemptLimiter(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	l := newAttemptLimiter(3, time.Minute)
	l.now = func() time.Time { return now }

	for i := range 3 {
		if !l.take("a") {
			t.Fatalf("attempt %d refused within the limit", i+1)
		}
		now = now.Add(10 * time.Second)
	}
	t.Run("past the limit an attempt is refused and not counted", func(t *testing.T) {
		if l.take("a") {
			t.Errorf("fourth attempt taken")
		}
		if got := len(l.hits["a"]); got != 3 {
			t.Errorf("key holds %d attempts, want 3", got)
		}
	})
	t.Run("another key has its own count", func(t *testing.T) {
		if !l.take("b") {
			t.Errorf("another key refused")
		}
	})
	t.Run("an attempt given back does not count", func(t *testing.T) {
		l.giveBack("b")
		for i := range 3 {
			if !l.take("b") {
				t.Errorf("attempt %d on b refused after the give-back", i+1)
			}
		}
	})
	t.Run("attempts older than the window stop counting", func(t *testing.T) {
		now = now.Add(31 * time.Second) // the first attempt on a is now 61 s old
		if !l.take("a") {
			t.Errorf("an attempt a minute after the first is refused")
		}
	})
	t.Run("keys with nothing left in the window are swept", func(t *testing.T) {
		now = now.Add(2 * time.Minute)
		l.take("c")
		if _, ok := l.hits["a"]; ok {
			t.Errorf("key a is still held two minutes after its last attempt")
		}
		if len(l.hits) != 1 {
			t.Errorf("%d keys held, want only c", len(l.hits))
		}
	})
}
