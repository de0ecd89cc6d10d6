package pgcluster

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
)

// Several aimaq processes may share one home: the first starts postgres, the
// others attach. Each registers itself in home/users (a file named by its
// pid) while it uses the cluster, and a cluster started by an aimaq process
// (not by `aimaq db start`, which leaves it running on purpose: the marker
// file home/autostarted says which) is stopped by the last user to leave —
// not by whichever process happened to start it.

func (l layout) usersDir() string    { return filepath.Join(l.home, "users") }
func (l layout) autostarted() string { return filepath.Join(l.home, "autostarted") }

// userSeq numbers the registrations of this process: each Cluster value is
// one user, so two in one process (tests, a supervisor's restart) count twice.
var userSeq atomic.Int64

// register records a user of the cluster in this process and returns its
// record's name ("pid.n").
func (l layout) register() (string, error) {
	if err := os.MkdirAll(l.usersDir(), 0o755); err != nil {
		return "", err
	}
	name := strconv.Itoa(os.Getpid()) + "." + strconv.FormatInt(userSeq.Add(1), 10)
	return name, os.WriteFile(filepath.Join(l.usersDir(), name), nil, 0o644)
}

// unregister removes a user's record.
func (l layout) unregister(name string) {
	_ = os.Remove(filepath.Join(l.usersDir(), name))
}

// otherUsers lists the records of live users other than self; records of
// dead processes are removed.
func (l layout) otherUsers(self string) []string {
	entries, err := os.ReadDir(l.usersDir())
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if e.Name() == self {
			continue
		}
		pidStr, _, _ := strings.Cut(e.Name(), ".")
		pid, err := strconv.Atoi(pidStr)
		if err != nil {
			continue
		}
		if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
			_ = os.Remove(filepath.Join(l.usersDir(), e.Name())) // a user that died without leaving
			continue
		}
		out = append(out, e.Name())
	}
	return out
}

// markAutostarted records whether the running postgres was started by an
// aimaq process for its own use (true) or detached on purpose (false).
func (l layout) markAutostarted(auto bool) error {
	if auto {
		return os.WriteFile(l.autostarted(), nil, 0o644)
	}
	if err := os.Remove(l.autostarted()); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

func (l layout) isAutostarted() bool {
	_, err := os.Stat(l.autostarted())
	return err == nil
}
