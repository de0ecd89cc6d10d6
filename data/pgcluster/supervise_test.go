package pgcluster

import (
	"context"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// TestLastUserStops: two users of one home; the one that started postgres
// leaves first and the cluster stays up for the other; when the last one
// leaves, the cluster it did not start is stopped (issue 9.1).
func TestLastUserStops(t *testing.T) {
	t.Parallel()
	o, _ := newOptions(t, "home")
	o.Detach = false // as aimaq serve and import use it
	first := mustEnsure(t, o)
	second := mustEnsure(t, o)
	if !first.Started() || second.Started() {
		t.Fatalf("started %v / %v, want the first to start and the second to attach", first.Started(), second.Started())
	}
	mustStop(t, first)
	if st, err := GetStatus(o); err != nil || !st.Running {
		t.Fatalf("after the starter left: %+v %v, want still running for the second user", st, err)
	}
	mustSelectOne(t, second.URL())
	mustStop(t, second)
	if st, err := GetStatus(o); err != nil || st.Running {
		t.Fatalf("after the last user left: %+v %v, want stopped", st, err)
	}
	// A cluster started on purpose (aimaq db start: detached) is left running.
	d := o
	d.Detach = true
	manual := mustEnsure(t, d)
	user := mustEnsure(t, o)
	mustStop(t, user)
	if st, err := GetStatus(o); err != nil || !st.Running {
		t.Fatalf("a detached cluster was stopped by its last user: %+v %v", st, err)
	}
	mustStop(t, manual)
}

// TestSupervisorRestarts: postgres killed with SIGKILL under a pool comes
// back at the same URL, and the pool's next queries succeed (issue 9.1).
func TestSupervisorRestarts(t *testing.T) {
	t.Parallel()
	o, _ := newOptions(t, "home")
	c := mustEnsure(t, o)
	var lines syncBuffer
	sv := Supervise(c, o, func(format string, args ...any) {
		lines.Write([]byte(strings.TrimSpace(format) + "\n"))
	})
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := sv.Stop(ctx); err != nil {
			t.Error(err)
		}
	}()
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, sv.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if _, err := pool.Exec(ctx, "SELECT 1"); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(c.pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	deadline := start.Add(60 * time.Second)
	for sv.Restarts() == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("not restarted within 60 s; log:\n%s", lines.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	var ok bool
	for !ok && time.Now().Before(deadline) {
		qctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		_, err = pool.Exec(qctx, "SELECT 1")
		cancel()
		ok = err == nil
	}
	if !ok {
		t.Fatalf("pool does not reconnect after the restart: %v", err)
	}
	t.Logf("back after %s", time.Since(start).Round(time.Millisecond))
	if sv.URL() != c.URL() {
		t.Errorf("URL changed: %s → %s", c.URL(), sv.URL())
	}
}
