package main

import (
	"errors"
	"github.com/aimaq/aimaq/internal/testenv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aimaq/aimaq/data/pgcluster"
)

// needPostgres skips locally when the server binaries are missing; CI must have them.
func needPostgres(t *testing.T) {
	t.Helper()
	if _, err := pgcluster.BinDir(); err != nil {
		testenv.Missing(t, "%v", err)
	}
}

// aimaqCmd runs the binary with a private home and no external database.
func aimaqCmd(t *testing.T, home string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(aimaqBin(t), args...)
	env := []string{}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AIMAQ_") {
			env = append(env, kv)
		}
	}
	cmd.Env = append(env, "AIMAQ_HOME="+home)
	return cmd
}

func runAimaq(t *testing.T, home string, args ...string) (string, int) {
	t.Helper()
	out, err := aimaqCmd(t, home, args...).CombinedOutput()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return string(out), code
}

// The embedded cluster through the command line: start, status, url with psql,
// a second process joining it, input errors with exit code 65, stop; then a
// server that starts the cluster itself and stops it on SIGTERM.
func TestEmbeddedClusterCLI(t *testing.T) {
	needPostgres(t)
	home := filepath.Join(t.TempDir(), "home")
	// As root the server runs as user aimaq, which must be able to reach the home.
	for d := filepath.Dir(home); d != "/" && strings.HasPrefix(d, os.TempDir()); d = filepath.Dir(d) {
		_ = os.Chmod(d, 0o755)
	}
	t.Cleanup(func() { runAimaq(t, home, "db", "stop") })

	out, code := runAimaq(t, home, "db", "start")
	if code != 0 || !strings.Contains(out, "started PostgreSQL") {
		t.Fatalf("db start: exit %d\n%s", code, out)
	}
	out, _ = runAimaq(t, home, "db", "status")
	if !strings.HasPrefix(out, "running") {
		t.Fatalf("db status after start:\n%s", out)
	}
	// A second process joins the running cluster instead of starting one.
	out, code = runAimaq(t, home, "migrate")
	if code != 0 || strings.Contains(out, "started the embedded") || !strings.Contains(out, "0001_init.sql") {
		t.Fatalf("migrate: exit %d, want to join the running cluster and migrate:\n%s", code, out)
	}
	url, code := runAimaq(t, home, "db", "url")
	if code != 0 {
		t.Fatalf("db url: exit %d\n%s", code, url)
	}
	psql, err := exec.Command("psql", strings.TrimSpace(url), "-Atc", "SELECT postgis_lib_version() IS NOT NULL, current_database()").CombinedOutput()
	if err != nil || strings.TrimSpace(string(psql)) != "t|aimaq" {
		t.Fatalf("psql with `aimaq db url`: %v\n%s", err, psql)
	}

	bad := filepath.Join(t.TempDir(), "population_2023.csv")
	if err := os.WriteFile(bad, []byte("Region,Total\nAtlantis Region,5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, code = runAimaq(t, home, "import", "stats", bad)
	if code != 65 || !strings.Contains(out, "line 2") || !strings.Contains(out, "Atlantis Region") {
		t.Errorf("import of a bad CSV: exit %d, want 65 and a message naming line 2:\n%s", code, out)
	}
	out, code = runAimaq(t, home, "import", "boundaries", bad)
	if code != 65 || !strings.Contains(out, "--level") {
		t.Errorf("import boundaries without --level: exit %d\n%s", code, out)
	}

	if out, code = runAimaq(t, home, "db", "stop"); code != 0 {
		t.Fatalf("db stop: exit %d\n%s", code, out)
	}
	if out, _ = runAimaq(t, home, "db", "status"); !strings.HasPrefix(out, "stopped") {
		t.Fatalf("db status after stop:\n%s", out)
	}

	// `aimaq serve` starts the cluster itself, serves, and on SIGTERM shuts down
	// the HTTP server and the cluster it started.
	cmd := aimaqCmd(t, home, "serve", "-addr", "127.0.0.1:0")
	u, err := serveURL(cmd, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if resp, body := get(t, u+"/readyz"); resp.StatusCode != 200 {
		t.Errorf("/readyz = %d %s", resp.StatusCode, body)
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("aimaq serve after SIGTERM: %v", err)
		}
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("aimaq serve did not exit within 30 s of SIGTERM")
	}
	if out, _ = runAimaq(t, home, "db", "status"); !strings.HasPrefix(out, "stopped") {
		t.Errorf("the cluster that serve started still runs after SIGTERM:\n%s", out)
	}
}
