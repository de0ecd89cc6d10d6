package web

import (
	"sync"
	"time"
)

// logEvery is the interval within which errors of one cause are logged once.
const logEvery = 10 * time.Second

// logLimiter lets an error of one cause be logged once per interval, and
// counts the others, so a database outage under load writes a line every
// few seconds with a count instead of one per request.
type logLimiter struct {
	mu    sync.Mutex
	every time.Duration
	now   func() time.Time
	seen  map[string]*logEntry
}

type logEntry struct {
	last       time.Time
	suppressed int
}

// allow reports whether an error of cause may be logged now, and how many of
// the same cause were left out since it last was.
func (l *logLimiter) allow(cause string) (ok bool, suppressed int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if l.now != nil {
		now = l.now()
	}
	every := l.every
	if every == 0 {
		every = logEvery
	}
	if l.seen == nil {
		l.seen = map[string]*logEntry{}
	}
	e := l.seen[cause]
	if e == nil {
		if len(l.seen) > 1000 { // bounded: forget old causes
			for k, v := range l.seen {
				if now.Sub(v.last) > every {
					delete(l.seen, k)
				}
			}
		}
		l.seen[cause] = &logEntry{last: now}
		return true, 0
	}
	if now.Sub(e.last) < every {
		e.suppressed++
		return false, 0
	}
	n := e.suppressed
	e.last, e.suppressed = now, 0
	return true, n
}
