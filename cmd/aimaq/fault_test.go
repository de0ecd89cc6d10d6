package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aimaq/aimaq/data/pgcluster"
	"github.com/aimaq/aimaq/data/postgis/postgistest"
	"github.com/aimaq/aimaq/internal/testenv"
)

// The fault suite (issue 9): aimaq with its own embedded cluster in a
// temporary home, under load and faults, on loopback only; every loop is
// bounded in count and time. Figures go to the test log (go test -v).

// faultHome is a temporary AIMAQ_HOME postgres (run as user aimaq under root)
// can enter.
func faultHome(t *testing.T) string {
	dir := t.TempDir()
	if os.Geteuid() == 0 {
		for _, d := range []string{dir, filepath.Dir(dir)} {
			if err := os.Chmod(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	return filepath.Join(dir, "home")
}

// startAimaq runs `aimaq ARGS -addr 127.0.0.1:0` with env and returns its URL.
func startAimaq(t *testing.T, env []string, args ...string) (string, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command(aimaqBin(t), append(args, "-addr", "127.0.0.1:0")...)
	cmd.Env = append(os.Environ(), env...)
	var stderr strings.Builder
	cmd.Stderr = &syncWriter{w: &stderr}
	u, err := serveURL(cmd, 4*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
		}
		if t.Failed() {
			t.Logf("%s stderr:\n%s", strings.Join(cmd.Args, " "), stderr.String())
		}
	})
	return u, cmd
}

// status GETs url and returns the status (0: no answer) and the time taken.
func status(c *http.Client, url string) (int, time.Duration) {
	start := time.Now()
	resp, err := c.Get(url)
	if err != nil {
		return 0, time.Since(start)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, time.Since(start)
}

func postmasterPID(t *testing.T, home string) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(home, "pgdata", "postmaster.pid"))
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]))
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

func rssMB(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return -1
}

func TestFaultSuite(t *testing.T) {
	postgistest.URL(t) // skips locally without PostgreSQL (fails in CI)
	data := testenv.DataDir(t)
	home := faultHome(t)
	env := []string{"AIMAQ_DATA_DIR=" + data, "AIMAQ_HOME=" + home, "AIMAQ_DATABASE_URL="}
	base, cmd := startAimaq(t, env, "run")
	client := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	api := base + "/api/areas/oblast?indicator=population_density"
	tile := base + "/tiles/districts/4/11/5.mvt"
	if c, _ := status(client, tile); c != 200 {
		t.Fatalf("tile before the faults: %d", c)
	}

	t.Run("postmaster killed under load", func(t *testing.T) {
		var ok, unavailable, internal, other atomic.Int64
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 100_000; i++ {
					select {
					case <-stop:
						return
					default:
					}
					u := api
					if (w+i)%2 == 0 {
						u = tile
					}
					switch c, _ := status(client, u); {
					case c == 200:
						ok.Add(1)
					case c == 503:
						unavailable.Add(1)
						time.Sleep(10 * time.Millisecond)
					case c >= 500:
						internal.Add(1)
					default:
						other.Add(1)
					}
				}
			}()
		}
		time.Sleep(time.Second)
		if err := syscall.Kill(postmasterPID(t, home), syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		killed := time.Now()
		// Recovered: the API answers 200 again.
		var recovered time.Duration
		for deadline := killed.Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if c, _ := status(client, api); c == 200 && time.Since(killed) > 200*time.Millisecond {
				recovered = time.Since(killed)
				break
			}
		}
		time.Sleep(time.Second)
		close(stop)
		wg.Wait()
		t.Logf("SIGKILL of the postmaster under 8 clients: API back after %v; answers: %d × 200, %d × 503, %d × 5xx other, %d other",
			recovered.Round(time.Millisecond), ok.Load(), unavailable.Load(), internal.Load(), other.Load())
		if recovered == 0 {
			t.Fatal("the API did not recover within 90 s")
		}
		if internal.Load() != 0 || other.Load() != 0 {
			t.Errorf("%d answers other than 200 or 503 (%d 5xx)", internal.Load()+other.Load(), internal.Load())
		}
	})

	t.Run("burst of API requests", func(t *testing.T) {
		// 5,000 at once; under the race detector (as make test runs), whose
		// limit is 8,128 goroutines and each request holds three, 2,000.
		n := 5000
		if raceEnabled {
			n = 2000
		}
		burst := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: n, MaxConnsPerHost: 0}}
		var mu sync.Mutex
		var shed, served []time.Duration
		var others atomic.Int64
		var wg sync.WaitGroup
		ready := make(chan struct{})
		var readyCodes []int
		var readyTimes []time.Duration
		go func() { // /readyz throughout the burst
			defer close(ready)
			for i := 0; i < 200; i++ {
				c, d := status(client, base+"/readyz")
				readyCodes, readyTimes = append(readyCodes, c), append(readyTimes, d)
				time.Sleep(20 * time.Millisecond)
			}
		}()
		gate := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-gate
				c, d := status(burst, base+"/api/areas/district?indicator="+[]string{"population_density", "oblast_centre_km_mean", "district_centre_km_mean"}[i%3]+"&format=csv")
				mu.Lock()
				defer mu.Unlock()
				switch c {
				case 200:
					served = append(served, d)
				case 503:
					shed = append(shed, d)
				default:
					others.Add(1)
				}
			}()
		}
		close(gate)
		wg.Wait()
		<-ready
		slices.Sort(shed)
		slices.Sort(served)
		slices.Sort(readyTimes)
		pct := func(ds []time.Duration, p float64) time.Duration {
			if len(ds) == 0 {
				return 0
			}
			return ds[min(len(ds)-1, int(p*float64(len(ds))))].Round(time.Millisecond)
		}
		t.Logf("burst of %d: %d served (p50 %v, max %v), %d shed with 503 (p50 %v, p99 %v), %d other; /readyz %d probes, p50 %v, max %v",
			n, len(served), pct(served, 0.5), pct(served, 1), len(shed), pct(shed, 0.5), pct(shed, 0.99), others.Load(),
			len(readyTimes), pct(readyTimes, 0.5), pct(readyTimes, 1))
		for _, c := range readyCodes {
			if c != 200 {
				t.Errorf("/readyz answered %d during the burst", c)
				break
			}
		}
		if len(shed)+len(served)+int(others.Load()) != n {
			t.Errorf("answers %d, want %d", len(shed)+len(served)+int(others.Load()), n)
		}
	})

	t.Run("200 clients that never read", func(t *testing.T) {
		before := rssMB(cmd.Process.Pid)
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		host := strings.TrimPrefix(base, "http://")
		for range 200 {
			c, err := net.DialTimeout("tcp", host, 5*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if tc, ok := c.(*net.TCPConn); ok {
				_ = tc.SetReadBuffer(4096)
			}
			fmt.Fprintf(c, "GET /ogc/collections/settlements/items?limit=10000 HTTP/1.1\r\nHost: %s\r\n\r\n", host)
			conns = append(conns, c)
		}
		peak := before
		for range 30 { // 6 s
			peak = max(peak, rssMB(cmd.Process.Pid))
			time.Sleep(200 * time.Millisecond)
		}
		// The server still answers others meanwhile (they may be shed: never hang).
		c, d := status(client, base+"/readyz")
		t.Logf("200 non-reading clients of a 10,000-feature page: RSS %.0f MB before, peak %.0f MB; /readyz %d in %v", before, peak, c, d.Round(time.Millisecond))
		if peak > 300 {
			t.Errorf("peak RSS %.0f MB, want under 300 MB", peak)
		}
		if c != 200 {
			t.Errorf("/readyz = %d while clients stall", c)
		}
	})

	t.Run("forged Host, CORS preflight, compression", func(t *testing.T) {
		req, _ := http.NewRequest("GET", base+"/tiles/districts.json", nil)
		req.Host = "evil.example.com"
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if vary := strings.Join(resp.Header.Values("Vary"), ", "); strings.Contains(string(b), "evil") || !strings.Contains(vary, "Host") {
			t.Errorf("forged Host: Vary %q, body %.300s", vary, b)
		}
		req, _ = http.NewRequest("OPTIONS", base+"/api/areas/district", nil)
		req.Header.Set("Origin", "https://app.example.org")
		req.Header.Set("Access-Control-Request-Method", "GET")
		if resp, err = client.Do(req); err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 204 || resp.Header.Get("Access-Control-Allow-Origin") == "" {
			t.Errorf("preflight = %d %v", resp.StatusCode, resp.Header)
		}
		for _, enc := range []string{"gzip", "zstd"} {
			req, _ = http.NewRequest("GET", base+"/api/areas/district?indicator=population_density&format=geojson", nil)
			req.Header.Set("Accept-Encoding", enc)
			if resp, err = client.Do(req); err != nil {
				t.Fatal(err)
			}
			n, _ := io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.Header.Get("Content-Encoding") != enc {
				t.Errorf("Accept-Encoding %s: Content-Encoding %q", enc, resp.Header.Get("Content-Encoding"))
			}
			t.Logf("districts GeoJSON with %s: %d bytes", enc, n)
		}
	})

	t.Run("second process on the home, the first leaves", func(t *testing.T) {
		second, _ := startAimaq(t, env, "serve")
		// SIGTERM to the first (which started the cluster), under requests to the second.
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("first process after SIGTERM: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("first process did not stop within 30 s of SIGTERM")
		}
		for i := range 20 {
			if c, _ := status(client, second+"/api/areas/oblast?indicator=population_density"); c != 200 {
				t.Fatalf("second process, request %d after the first left: %d", i, c)
			}
		}
		st, err := pgcluster.GetStatus(pgcluster.Options{Home: home})
		if err != nil || !st.Running {
			t.Errorf("cluster after the first left: %+v %v, want running", st, err)
		}
	})
}

// TestFaultExternalDatabase: aimaq started before its external database
// listens anyway (503 starting), serves once it is up, says not ready while
// it is stopped and recovers when it is back (issue 9.1).
func TestFaultExternalDatabase(t *testing.T) {
	postgistest.URL(t)
	home := faultHome(t)
	o := pgcluster.Options{Home: home, Detach: true, Port: freePort(t)}
	c, err := pgcluster.Ensure(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pgcluster.StopHome(context.Background(), o) })
	url := c.URL()
	if err := pgcluster.StopHome(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	// Started while the database is down: it waits (retrying), and serves as
	// soon as the database is up.
	cmd := exec.Command(aimaqBin(t), "serve", "-addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "AIMAQ_DATABASE_URL="+url, "AIMAQ_HOME="+faultHome(t))
	waiting := make(chan struct{})
	var once sync.Once
	cmd.Stderr = writerFunc(func(p []byte) (int, error) {
		if strings.Contains(string(p), "database unreachable: retrying") {
			once.Do(func() { close(waiting) })
		}
		return len(p), nil
	})
	type served struct {
		url string
		err error
	}
	urlc := make(chan served, 1)
	go func() { u, err := serveURL(cmd, 3*time.Minute); urlc <- served{u, err} }()
	t.Cleanup(func() {
		if cmd.Process != nil {
			_ = cmd.Process.Signal(syscall.SIGTERM)
			_ = cmd.Wait()
		}
	})
	select {
	case <-waiting:
	case <-time.After(60 * time.Second):
		t.Fatal("aimaq did not say it waits for the database")
	}
	if _, err := pgcluster.Ensure(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	up := time.Now()
	sv := <-urlc
	if sv.err != nil {
		t.Fatal(sv.err)
	}
	t.Logf("started before its database: serving %v after the database came up", time.Since(up).Round(time.Millisecond))
	client := &http.Client{Timeout: 10 * time.Second}
	if c, _ := status(client, sv.url+"/readyz"); c != 200 {
		t.Fatalf("readyz with the database up = %d", c)
	}
	// The database stops: not ready (soon), alive; back: ready again.
	if err := pgcluster.StopHome(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	waitStatus := func(path string, want int) time.Duration {
		start := time.Now()
		for time.Since(start) < 60*time.Second {
			if c, _ := status(client, sv.url+path); c == want {
				return time.Since(start)
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("%s did not answer %d within 60 s", path, want)
		return 0
	}
	down := waitStatus("/readyz", 503)
	if c, _ := status(client, sv.url+"/healthz"); c != 200 {
		t.Errorf("healthz right after the database stopped = %d, want 200 (within the grace period)", c)
	}
	if _, err := pgcluster.Ensure(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	back := waitStatus("/readyz", 200)
	if c, _ := status(client, sv.url+"/api/indicators"); c != 200 {
		t.Errorf("/api/indicators after the database is back = %d", c)
	}
	t.Logf("external database stopped: /readyz 503 after %v; started again: /readyz 200 after %v",
		down.Round(time.Millisecond), back.Round(time.Millisecond))
}

type writerFunc func(p []byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
