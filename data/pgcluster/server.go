package pgcluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// errExited means the postmaster went away while we waited for it.
var errExited = errors.New("postgres exited")

// initdb creates the data directory, trying the C.UTF-8 locale first and
// plain C where the system lacks it.
func initdb(ctx context.Context, lay layout, bin string, acct *account, log io.Writer) error {
	logf(log, "initdb %s", lay.data)
	var out []byte
	var err error
	for _, locale := range []string{"C.UTF-8", "C"} {
		// Created here rather than by initdb because, as root, initdb runs as
		// user aimaq, who cannot write in the home.
		if err := os.MkdirAll(lay.data, 0o700); err != nil {
			return err
		}
		if err := acct.chown(lay.data); err != nil {
			return err
		}
		cmd := exec.CommandContext(ctx, filepath.Join(bin, "initdb"),
			"-D", lay.data,
			"-U", RoleName,
			"--auth-local=trust",
			"--auth-host=reject", // replaced by writeHBA
			"--encoding=UTF8",
			"--locale="+locale,
		)
		cmd.Dir = lay.home
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: acct.credential()}
		out, err = cmd.CombinedOutput()
		if err == nil {
			return writeHBA(lay, acct)
		}
		if !bytes.Contains(bytes.ToLower(out), []byte("locale")) {
			break
		}
	}
	return fmt.Errorf("initdb %s: %w\n%s", lay.data, err, tail(out, 2048))
}

// writeHBA replaces initdb's pg_hba.conf. Trust on the local socket is what
// makes the cluster zero-configuration; access is governed by who can reach
// the home's socket. Trust for 127.0.0.1 only matters when Options.Port
// opens TCP, and then only on loopback: anyone who can reach loopback on
// this machine can already open the 0777 socket with trust, so it grants
// nothing new, while letting tools that only speak TCP connect without a
// password. The cluster is a private development database, never exposed
// beyond the machine; production deployments set an external database URL.
func writeHBA(lay layout, acct *account) error {
	const hba = `# Written by aimaq (data/pgcluster): private cluster, loopback only.
# TYPE  DATABASE  USER  ADDRESS       METHOD
local   all       all                 trust
host    all       all   127.0.0.1/32  trust
`
	path := filepath.Join(lay.data, "pg_hba.conf")
	if err := os.WriteFile(path, []byte(hba), 0o600); err != nil {
		return err
	}
	return acct.chown(path)
}

// waitReady polls until the server accepts a connection to connString.
// alive reports, with an error wrapping errExited, a server that is gone.
func waitReady(ctx context.Context, connString string, alive func() error, logPath string) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	var lastErr error
	for {
		if err := alive(); err != nil {
			return fmt.Errorf("%w; log tail:\n%s", err, logTail(logPath))
		}
		attempt, cancelAttempt := context.WithTimeout(ctx, 5*time.Second)
		conn, err := pgconn.Connect(attempt, connString)
		cancelAttempt()
		if err == nil {
			return conn.Close(ctx)
		}
		lastErr = err
		select {
		case <-ctx.Done():
			return fmt.Errorf("postgres not ready after %v (%v): %w; log tail:\n%s", readyTimeout, lastErr, ctx.Err(), logTail(logPath))
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// createDatabase creates database aimaq if the cluster lacks it.
func createDatabase(ctx context.Context, lay layout, dbURL string) error {
	adminURL := strings.Replace(dbURL, "postgresql:///"+DatabaseName+"?", "postgresql:///postgres?", 1)
	conn, err := pgconn.Connect(ctx, adminURL)
	if err != nil {
		return fmt.Errorf("connecting to %s: %w", adminURL, err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	res := conn.ExecParams(ctx, "SELECT 1 FROM pg_database WHERE datname = $1", [][]byte{[]byte(DatabaseName)}, nil, nil, nil).Read()
	if res.Err != nil {
		return fmt.Errorf("looking up database %s: %w", DatabaseName, res.Err)
	}
	if len(res.Rows) > 0 {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+DatabaseName).ReadAll()
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P04" { // duplicate_database
		return nil
	}
	if err != nil {
		return fmt.Errorf("creating database %s: %w", DatabaseName, err)
	}
	return nil
}

// lockFile takes an exclusive flock on path, polling so ctx can cancel the
// wait. Separate opens conflict even within one process.
func lockFile(ctx context.Context, path string) (unlock func(), err error) {
	// Read-only is enough for flock and works on a lock file another user
	// (root, in an earlier run) created.
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { f.Close() }, nil // closing releases the lock
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, fmt.Errorf("locking %s: %w", path, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("waiting for lock %s: %w", path, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func logTail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(cannot read %s: %v)", path, err)
	}
	return string(tail(b, 2048))
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return bytes.TrimSpace(b)
}
