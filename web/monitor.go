package web

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Monitor keeps the database's state current in the background, so /readyz
// answers from memory within milliseconds — never queued behind work, never
// timing out in a burst — and /healthz can say when the process has been
// unable to do its job for too long.
type Monitor struct {
	pinger Pinger
	every  time.Duration
	grace  time.Duration
	log    *slog.Logger

	mu        sync.Mutex
	checked   bool      // at least one ping has finished
	err       error     // the last ping's error; nil: reachable
	downSince time.Time // first failed ping of the current outage
}

// MonitorOptions tune a Monitor; zero values take the defaults.
type MonitorOptions struct {
	Every time.Duration // between pings; default 1 s
	// Grace is how long the database may be unreachable before /healthz
	// fails (so a supervisor restarts the process); default 60 s.
	Grace  time.Duration
	Logger *slog.Logger
}

// NewMonitor pings p every o.Every until ctx ends.
func NewMonitor(ctx context.Context, p Pinger, o MonitorOptions) *Monitor {
	m := &Monitor{pinger: p, every: o.Every, grace: o.Grace, log: o.Logger}
	if m.every <= 0 {
		m.every = time.Second
	}
	if m.grace <= 0 {
		m.grace = time.Minute
	}
	if m.log == nil {
		m.log = slog.New(slog.DiscardHandler)
	}
	m.check(ctx)
	go m.run(ctx)
	return m
}

func (m *Monitor) run(ctx context.Context) {
	t := time.NewTicker(m.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			m.check(ctx)
		}
	}
}

// check pings once (bounded by the interval) and records the answer; a
// change of state is logged once.
func (m *Monitor) check(ctx context.Context) {
	pctx, cancel := context.WithTimeout(ctx, max(m.every, readyTimeout))
	err := m.pinger.Ping(pctx)
	cancel()
	if ctx.Err() != nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	switch {
	case err != nil && (m.err == nil || !m.checked):
		m.downSince = time.Now()
		m.log.Error("database unreachable", "err", err)
	case err == nil && m.err != nil:
		m.log.Info("database reachable again", "after", time.Since(m.downSince).Round(time.Millisecond))
		m.downSince = time.Time{}
	}
	m.err, m.checked = err, true
}

// State is the database's state as last seen: a nil error when reachable,
// else how long it has been unreachable and the last error.
func (m *Monitor) State() (downFor time.Duration, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.err == nil {
		return 0, nil
	}
	return time.Since(m.downSince), m.err
}

// Healthy reports false once the database has been unreachable for longer
// than the grace period.
func (m *Monitor) Healthy() (bool, time.Duration) {
	down, err := m.State()
	return err == nil || down <= m.grace, down
}
