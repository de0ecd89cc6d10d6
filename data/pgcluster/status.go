package pgcluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Status describes the cluster for a home, running or not.
type Status struct {
	Running   bool
	PID       int
	DataDir   string
	SocketDir string
	URL       string
}

// GetStatus reports whether a postgres runs for o.Home and how to reach it.
// When none runs, SocketDir and URL say where one started with o would be.
func GetStatus(o Options) (Status, error) {
	lay, err := newLayout(o.Home)
	if err != nil {
		return Status{}, fmt.Errorf("pgcluster.GetStatus(%q): %w", o.Home, err)
	}
	st := Status{
		DataDir:   lay.data,
		SocketDir: lay.socketDir(o.Port),
		URL:       connURL(lay.socketDir(o.Port), listenPort(o.Port), DatabaseName),
	}
	pf, err := readPIDFile(lay.pidFile())
	if errors.Is(err, os.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return Status{}, fmt.Errorf("pgcluster.GetStatus(%q): %w", o.Home, err)
	}
	if !isPostmaster(pf.pid, lay.data) {
		return st, nil
	}
	st.Running, st.PID = true, pf.pid
	if pf.socketDir != "" && pf.port != 0 {
		st.SocketDir = pf.socketDir
		st.URL = connURL(pf.socketDir, pf.port, DatabaseName)
	}
	return st, nil
}

// StopHome stops whatever postgres runs for o.Home, whichever process started
// it, with a fast shutdown, and waits for it to exit. No cluster running is
// not an error.
func StopHome(ctx context.Context, o Options) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("pgcluster.StopHome(%q): %w", o.Home, err)
		}
	}()
	lay, err := newLayout(o.Home)
	if err != nil {
		return err
	}
	pf, err := readPIDFile(lay.pidFile())
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !isPostmaster(pf.pid, lay.data) {
		return nil
	}
	if err := syscall.Kill(pf.pid, syscall.SIGINT); err != nil {
		if errors.Is(err, syscall.ESRCH) {
			return nil
		}
		return fmt.Errorf("signalling postgres pid %d: %w", pf.pid, err)
	}
	for isPostmaster(pf.pid, lay.data) {
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for postgres pid %d to exit: %w", pf.pid, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
	logf(o.Log, "stopped postgres pid %d", pf.pid)
	return nil
}

// pidFile is what postgres records in postmaster.pid: pid, data directory,
// start time, port, first socket directory, listen address, shared memory
// key and status, one per line. Later lines appear as startup proceeds.
type pidFile struct {
	pid       int
	port      int
	socketDir string
}

func readPIDFile(path string) (pidFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return pidFile{}, err
	}
	lines := strings.Split(string(b), "\n")
	field := func(i int) string {
		if i < len(lines) {
			return strings.TrimSpace(lines[i])
		}
		return ""
	}
	var pf pidFile
	// An unparsable pid is treated as 0, a dead process: the file is stale.
	pf.pid, _ = strconv.Atoi(field(0))
	pf.port, _ = strconv.Atoi(field(3))
	pf.socketDir = field(4)
	return pf, nil
}

// isPostmaster reports whether pid is a live postgres serving dataDir. Where
// /proc exists it also rules out zombies, reused pids running other programs,
// and, when readable, a postgres whose working directory (a postmaster chdirs
// to its data directory) is elsewhere.
func isPostmaster(pid int, dataDir string) bool {
	if pid <= 0 {
		return false
	}
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	proc := "/proc/" + strconv.Itoa(pid)
	stat, err := os.ReadFile(proc + "/stat")
	if err != nil {
		if _, selfErr := os.Stat("/proc/self"); selfErr != nil {
			return true // no procfs here; the signal probe is all there is
		}
		return false
	}
	// "pid (comm) state ...": comm may itself contain parentheses.
	open, closing := bytes.IndexByte(stat, '('), bytes.LastIndexByte(stat, ')')
	if open < 0 || closing < open || closing+2 >= len(stat) {
		return false
	}
	comm, state := string(stat[open+1:closing]), stat[closing+2]
	if state == 'Z' || state == 'X' {
		return false
	}
	if comm != "postgres" && comm != "postmaster" {
		return false
	}
	if cwd, err := os.Readlink(proc + "/cwd"); err == nil {
		want := dataDir
		if resolved, err := filepath.EvalSymlinks(dataDir); err == nil {
			want = resolved
		}
		return filepath.Clean(cwd) == want
	}
	return true
}
