// Package pgcluster runs aimaq's private PostgreSQL cluster under a home directory.
//
// With no external database URL, aimaq keeps its own cluster in Home:
//
//	<home>/pgdata/       data directory (initdb on first use)
//	<home>/run/          Unix socket directory (or /tmp/aimaq-<hash> when the path is too long)
//	<home>/postgres.log  server output
//	<home>/lock          flock that serialises initdb and start between processes
//
// The cluster holds one database, "aimaq", owned by the superuser role "aimaq".
// Clients reach it through the Unix socket with trust authentication; see
// writeHBA for why that is acceptable.
package pgcluster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

const (
	// DatabaseName is the database Ensure creates and URL points at.
	DatabaseName = "aimaq"
	// RoleName is the cluster's superuser, and the system user postgres runs
	// as when aimaq is started by root.
	RoleName = "aimaq"

	defaultPort  = 5432
	readyTimeout = 60 * time.Second
	// maxSocketPath leaves headroom under sun_path's 108 bytes (107 usable)
	// for the ".lock" file postgres keeps beside the socket.
	maxSocketPath = 100
)

// Options say where the cluster lives and how to run it.
type Options struct {
	Home string    // AIMAQ_HOME, e.g. "./.aimaq"; made absolute internally
	Port int       // 0 = Unix socket only; >0 also listen on 127.0.0.1:Port (applies when this call starts postgres)
	Log  io.Writer // progress lines, may be nil
	// Detach starts postgres in its own session so it outlives this process
	// and is not hit by a terminal's Ctrl-C.
	Detach bool
}

// Cluster is a running private cluster, started by this process or attached to.
type Cluster struct {
	lay     layout
	url     string
	pid     int
	started bool

	// Set only when started: done is closed once cmd has been reaped, after
	// which waitErr holds its exit status.
	cmd      *exec.Cmd
	done     chan struct{}
	waitErr  error
	stopOnce sync.Once
	stopErr  error
	log      io.Writer
	user     string // this value's record as a user of the cluster (users.go); "" when detached
}

// URL returns a connection string for database aimaq that pgx and psql both accept.
func (c *Cluster) URL() string { return c.url }

// Started reports whether this process started postgres (false if it attached).
func (c *Cluster) Started() bool { return c.started }

// Stop leaves the cluster: this process stops being one of its users, and
// when no other aimaq process uses it and it was started by an aimaq process
// for its own use (not detached on purpose by `aimaq db start`), postgres is
// shut down in "fast" mode and Stop waits for it to exit. A cluster other
// processes still use is left running for them.
func (c *Cluster) Stop(ctx context.Context) error {
	c.stopOnce.Do(func() {
		c.stopErr = c.leave(ctx)
	})
	if c.stopErr != nil {
		return fmt.Errorf("pgcluster.Cluster.Stop(%q): %w", c.lay.home, c.stopErr)
	}
	return nil
}

func (c *Cluster) leave(ctx context.Context) error {
	unlock, err := lockFile(ctx, c.lay.lock)
	if err != nil {
		return err
	}
	defer unlock()
	if c.user != "" {
		c.lay.unregister(c.user)
	}
	if others := c.lay.otherUsers(c.user); len(others) > 0 {
		if c.started {
			logf(c.log, "left postgres pid %d running for aimaq pid %v", c.pid, others)
		}
		return nil
	}
	switch {
	case c.started:
		return c.stopNow(ctx)
	case c.user != "" && c.lay.isAutostarted() && isPostmaster(c.pid, c.lay.data):
		// Started by an aimaq process that has left since: the last user stops it.
		return StopHome(ctx, Options{Home: c.lay.home, Log: c.log})
	}
	return nil
}

// stopNow shuts down the postgres this process started.
func (c *Cluster) stopNow(ctx context.Context) error {
	if !c.started {
		return nil
	}
	return c.stop(ctx)
}

func (c *Cluster) stop(ctx context.Context) error {
	select {
	case <-c.done:
		return nil // already gone
	default:
	}
	// SIGINT asks the postmaster for a fast shutdown: roll back open
	// transactions, disconnect clients, checkpoint, exit.
	if err := c.cmd.Process.Signal(syscall.SIGINT); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	select {
	case <-c.done:
		logf(c.log, "stopped postgres pid %d", c.pid)
		return nil
	case <-ctx.Done():
		return fmt.Errorf("waiting for postgres pid %d to exit: %w", c.pid, ctx.Err())
	}
}

// Ensure returns a running cluster for o.Home. If another aimaq process
// already runs one there it attaches to it; otherwise it runs initdb on first
// use, starts postgres, waits until it accepts connections and creates the
// database aimaq if missing.
func Ensure(ctx context.Context, o Options) (c *Cluster, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("pgcluster.Ensure(%q): %w", o.Home, err)
		}
	}()
	lay, err := newLayout(o.Home)
	if err != nil {
		return nil, err
	}
	bin, err := lay.binDir()
	if err != nil {
		return nil, err
	}
	acct, err := serverAccount()
	if err != nil {
		return nil, err
	}
	if err := lay.prepareHome(acct); err != nil {
		return nil, err
	}
	unlock, err := lockFile(ctx, lay.lock)
	if err != nil {
		return nil, err
	}
	defer unlock()

	c, err = attach(ctx, lay, o)
	if err != nil {
		return nil, err
	}
	if c == nil {
		c, err = start(ctx, lay, bin, acct, o)
		if err != nil {
			return nil, err
		}
	}
	if err := createDatabase(ctx, c.lay, c.url); err != nil {
		if c.started {
			_ = c.stopNow(context.WithoutCancel(ctx))
		}
		return nil, err
	}
	if !o.Detach {
		if c.user, err = lay.register(); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// attach returns the cluster already running for lay, or nil if none is.
// A postmaster.pid left by a dead or foreign process is removed.
func attach(ctx context.Context, lay layout, o Options) (*Cluster, error) {
	pf, err := readPIDFile(lay.pidFile())
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if isPostmaster(pf.pid, lay.data) {
		sock, port := pf.socketDir, pf.port
		if sock == "" {
			sock = lay.socketDir(o.Port)
		}
		if port == 0 {
			port = listenPort(o.Port)
		}
		alive := func() error {
			if !isPostmaster(pf.pid, lay.data) {
				return errExited
			}
			return nil
		}
		err := waitReady(ctx, connURL(sock, port, "postgres"), alive, lay.log)
		if err == nil {
			logf(o.Log, "attached to postgres pid %d", pf.pid)
			return &Cluster{lay: lay, url: connURL(sock, port, DatabaseName), pid: pf.pid, log: o.Log}, nil
		}
		if !errors.Is(err, errExited) {
			return nil, fmt.Errorf("postgres pid %d is running but not ready: %w", pf.pid, err)
		}
		// It was shutting down while we waited; start a fresh one.
	}
	logf(o.Log, "removing stale %s (pid %d)", lay.pidFile(), pf.pid)
	if err := os.Remove(lay.pidFile()); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	return nil, nil
}

func start(ctx context.Context, lay layout, bin string, acct *account, o Options) (*Cluster, error) {
	if _, err := os.Stat(filepath.Join(lay.data, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		if err := initdb(ctx, lay, bin, acct, o.Log); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	port := listenPort(o.Port)
	sock := lay.socketDir(o.Port)
	if err := prepareSocketDir(sock, lay.run, acct); err != nil {
		return nil, err
	}
	// A crash can leave the socket's lock file behind naming a pid that has
	// since been reused, which would make postgres refuse to start. The
	// directory is private to this home and its postmaster is not running.
	sockLock := filepath.Join(sock, ".s.PGSQL."+strconv.Itoa(port)+".lock")
	if err := os.Remove(sockLock); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}

	logFile, err := os.OpenFile(lay.log, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
	if err != nil {
		return nil, err
	}
	defer logFile.Close() // the child keeps its own copy of the descriptor
	if err := acct.chown(lay.log); err != nil {
		return nil, err
	}

	listen := ""
	if o.Port > 0 {
		listen = "127.0.0.1"
	}
	cmd := exec.Command(filepath.Join(bin, "postgres"),
		"-D", lay.data,
		"-k", sock,
		"-p", strconv.Itoa(port),
		"-c", "listen_addresses="+listen,
		// Sized for a small analytics workload on one machine; fsync stays on.
		"-c", "shared_buffers=256MB",
		"-c", "max_connections=200",
		// When root runs aimaq, the server runs as user aimaq and root's
		// clients must still be able to open the socket.
		"-c", "unix_socket_permissions=0777",
	)
	cmd.Dir = lay.data
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: o.Detach, Credential: acct.credential()}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting postgres: %w", err)
	}
	c := &Cluster{
		lay:     lay,
		url:     connURL(sock, port, DatabaseName),
		pid:     cmd.Process.Pid,
		started: true,
		cmd:     cmd,
		done:    make(chan struct{}),
		log:     o.Log,
	}
	go func() {
		c.waitErr = cmd.Wait()
		close(c.done)
	}()
	logf(o.Log, "started postgres pid %d (log %s)", c.pid, lay.log)
	if err := lay.markAutostarted(!o.Detach); err != nil {
		logf(o.Log, "cannot record who started postgres: %v", err)
	}

	alive := func() error {
		select {
		case <-c.done:
			return fmt.Errorf("%w: %v", errExited, c.waitErr)
		default:
			return nil
		}
	}
	if err := waitReady(ctx, connURL(sock, port, "postgres"), alive, lay.log); err != nil {
		_ = c.stopNow(context.WithoutCancel(ctx))
		return nil, err
	}
	return c, nil
}

func listenPort(p int) int {
	if p > 0 {
		return p
	}
	return defaultPort
}

// connURL builds a libpq-style URL for a Unix-socket connection. The port is
// always given because it names the socket file, and an unset one would let
// a client's PGPORT pick a different file.
func connURL(socketDir string, port int, db string) string {
	return "postgresql:///" + db +
		"?host=" + escapeQuery(socketDir) +
		"&port=" + strconv.Itoa(port) +
		"&user=" + RoleName +
		"&sslmode=disable"
}

// escapeQuery percent-encodes everything but unreserved characters and '/',
// so paths stay readable. Unlike url.QueryEscape it never writes '+', which
// libpq would not decode as a space.
func escapeQuery(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case 'a' <= ch && ch <= 'z', 'A' <= ch && ch <= 'Z', '0' <= ch && ch <= '9',
			ch == '/', ch == '-', ch == '.', ch == '_', ch == '~':
			b.WriteByte(ch)
		default:
			fmt.Fprintf(&b, "%%%02X", ch)
		}
	}
	return b.String()
}

func logf(w io.Writer, format string, args ...any) {
	if w == nil {
		return
	}
	fmt.Fprintf(w, "pgcluster: "+format+"\n", args...)
}
